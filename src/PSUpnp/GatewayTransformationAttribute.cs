using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.Management.Automation;
using System.Net;

namespace PSUpnp.Commands
{
    /// <summary>
    /// Turns what an admin passes as -Gateway into a <see cref="GatewayReference"/>: a UpnpGateway; a deserialized one
    /// (Import-Clixml, Invoke-Command, a child pwsh), rebuilt into a real UpnpGateway from its saved properties; or a
    /// device description URL (string or Uri), read later by the cmdlet. An empty string (an empty CSV cell) means no
    /// gateway was given. No I/O happens here: binding must be quick and cannot be cancelled.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class GatewayTransformationAttribute : ArgumentTransformationAttribute
    {
        internal const string DeserializedTypeName = "Deserialized.PSUpnp.UpnpGateway";

        private const string WhatToPass =
            "Pass a gateway from Find-UpnpGateway, one saved with Export-Clixml, or the router's description URL " +
            "(its DescriptionUrl, for example http://192.168.1.1:5000/rootDesc.xml).";

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var wrapped = inputData as PSObject;
            switch (wrapped != null ? wrapped.BaseObject : inputData)
            {
                case null:
                    return null;
                case GatewayReference reference:
                    return reference;
                case UpnpGateway gateway:
                    return new GatewayReference(gateway, gateway);
                case Uri url:
                    return FromUrl(url.OriginalString, url);
                case string text:
                    return string.IsNullOrWhiteSpace(text) ? null : FromUrl(text.Trim(), text);
            }

            if (wrapped != null && wrapped.TypeNames.Contains(DeserializedTypeName))
            {
                return new GatewayReference(Rebuild(wrapped), wrapped);
            }

            // Anything else stays as it is. Piped, it is a mapping or a CSV row whose properties bind by name (its
            // Gateway property comes back here); given as an argument, PowerShell says it cannot become a gateway.
            return inputData;
        }

        private static GatewayReference FromUrl(string text, object given)
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && url.Host.Length > 0)
            {
                return new GatewayReference(url, given);
            }

            throw new ArgumentTransformationMetadataException(
                "'" + text + "' is not a gateway's description URL: it must be an absolute http URL. " + WhatToPass);
        }

        /// <summary>
        /// A real UpnpGateway from the properties Export-Clixml kept. Uris come back as Uris; an IPAddress as a property
        /// bag whose text is the address (or as that text, deeper than the serialization depth); ExpiresAt, the SSDP
        /// advertisement's lifetime, is not brought back: a saved gateway is not a fresh advertisement. FirewallControlUrl
        /// comes back so that a saved IPv6 pinhole can still be renewed or closed.
        /// </summary>
        private static UpnpGateway Rebuild(PSObject saved)
        {
            // A router found only by PCP or NAT-PMP was saved without its UPnP members: they stay null. One saved with any
            // of them answered UPnP IGD and needs them all (a copy cut down by Select-Object is refused, not guessed at).
            var hasIgd = Text(saved, nameof(UpnpGateway.ControlUrl)) != null || Text(saved, nameof(UpnpGateway.ServiceType)) != null
                || Text(saved, nameof(UpnpGateway.DescriptionUrl)) != null;
            var controlUrl = hasIgd ? Url(saved, nameof(UpnpGateway.ControlUrl)) : null;
            var methods = Methods(saved, hasIgd);
            return new UpnpGateway(
                Text(saved, nameof(UpnpGateway.FriendlyName)) ?? string.Empty,
                Text(saved, nameof(UpnpGateway.Manufacturer)) ?? string.Empty,
                Text(saved, nameof(UpnpGateway.ModelName)) ?? string.Empty,
                Text(saved, nameof(UpnpGateway.Udn)) ?? string.Empty,
                int.TryParse(Text(saved, nameof(UpnpGateway.IgdVersion)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var igd) ? igd : controlUrl == null ? 0 : 1,
                controlUrl == null ? null : Required(saved, nameof(UpnpGateway.ServiceType)),
                controlUrl,
                controlUrl == null ? null : Url(saved, nameof(UpnpGateway.DescriptionUrl)),
                Text(saved, nameof(UpnpGateway.PresentationUrl)) == null ? null : Url(saved, nameof(UpnpGateway.PresentationUrl)),
                IPAddress.TryParse(Required(saved, nameof(UpnpGateway.LocalAddress)), out var local) ? local : throw Unusable(saved, nameof(UpnpGateway.LocalAddress)),
                Text(saved, nameof(UpnpGateway.Server)),
                null,
                controlUrl != null ? null : IPAddress.TryParse(Required(saved, nameof(UpnpGateway.Address)), out var router) ? router : throw Unusable(saved, nameof(UpnpGateway.Address)),
                methods,
                Text(saved, nameof(UpnpGateway.FirewallControlUrl)) == null ? null : Url(saved, nameof(UpnpGateway.FirewallControlUrl)));
        }

        /// <summary>
        /// The ways the saved gateway answered: a list of enum values (or their names) when saved deep enough, or the
        /// list's text deeper than the serialization depth, in which case UPnP IGD is known from the control URL and the
        /// other ways are tried again as -Method or the mapping's Method says.
        /// </summary>
        private static List<PortMappingMethod> Methods(PSObject saved, bool hasIgd)
        {
            var methods = new List<PortMappingMethod>();
            var value = saved.Properties[nameof(UpnpGateway.Methods)]?.Value;
            var items = (value is PSObject inner ? inner.BaseObject : value) is IEnumerable list && !(value is string) ? list.Cast<object?>() : new[] { value };
            foreach (var item in items)
            {
                foreach (var word in (item?.ToString() ?? string.Empty).Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Enum.TryParse<PortMappingMethod>(word, out var method) && Enum.IsDefined(typeof(PortMappingMethod), method))
                    {
                        methods.Add(method);
                    }
                }
            }

            methods.Remove(PortMappingMethod.UpnpIgd);
            if (hasIgd)
            {
                methods.Add(PortMappingMethod.UpnpIgd);
            }
            else if (methods.Count == 0)
            {
                // Saved too shallow to keep the list: a gateway without UPnP answered PCP or NAT-PMP; PCP is asked
                // first, and a router that speaks only NAT-PMP answers PCP with UNSUPP_VERSION.
                methods.Add(PortMappingMethod.Pcp);
            }

            return methods;
        }

        private static string? Text(PSObject saved, string name)
        {
            var value = saved.Properties[name]?.Value;
            var text = value is PSObject inner ? inner.ToString() : value?.ToString();
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }

        private static string Required(PSObject saved, string name) => Text(saved, name) ?? throw Unusable(saved, name);

        private static Uri Url(PSObject saved, string name) =>
            Uri.TryCreate(Required(saved, name), UriKind.Absolute, out var url) ? url : throw Unusable(saved, name);

        private static ArgumentTransformationMetadataException Unusable(PSObject saved, string name) =>
            new ArgumentTransformationMetadataException(
                "The saved gateway '" + Text(saved, nameof(UpnpGateway.FriendlyName)) + "' has no usable " + name +
                " (was it cut down with Select-Object, or edited?). " + WhatToPass);
    }
}
