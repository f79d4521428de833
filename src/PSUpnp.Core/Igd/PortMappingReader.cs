using System;
using System.Globalization;
using System.Net;
using PSUpnp.Soap;

namespace PSUpnp.Igd
{
    /// <summary>Turns the out arguments of the mapping actions (and PortMappingList entries) into UpnpPortMapping.</summary>
    internal static class PortMappingReader
    {
        /// <summary>Argument names differ between the SOAP actions and the v2 PortMappingList document.</summary>
        internal sealed class Names
        {
            public static readonly Names Action = new Names("NewPortMappingDescription", "NewLeaseDuration");
            public static readonly Names ListEntry = new Names("NewDescription", "NewLeaseTime");

            private Names(string description, string lease)
            {
                Description = description;
                Lease = lease;
            }

            public string Description { get; }
            public string Lease { get; }
        }

        /// <summary>A GetSpecificPortMappingEntry answer: the key fields are the ones asked for.</summary>
        public static UpnpPortMapping Specific(SoapResponse r, UpnpGateway gateway, DateTimeOffset now, IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, string actionName) =>
            Build(r, gateway, now, remoteHost, externalPort, protocol, Names.Action, actionName);

        /// <summary>A GetGenericPortMappingEntry answer or a PortMappingList entry, which carry their own key fields.</summary>
        public static UpnpPortMapping Entry(SoapResponse r, UpnpGateway gateway, DateTimeOffset now, Names names, string actionName)
        {
            var remoteHost = RemoteHost(r.Get("NewRemoteHost"), gateway, actionName);
            var externalPort = Port(r.Get("NewExternalPort"), "NewExternalPort", gateway, actionName);
            var protocol = Protocol(r.Get("NewProtocol"), gateway, actionName);
            return Build(r, gateway, now, remoteHost, externalPort, protocol, names, actionName);
        }

        private static UpnpPortMapping Build(SoapResponse r, UpnpGateway gateway, DateTimeOffset now, IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, Names names, string actionName)
        {
            var internalPort = Port(r.Get("NewInternalPort"), "NewInternalPort", gateway, actionName);
            var clientText = (r.Get("NewInternalClient") ?? string.Empty).Trim();
            if (!IPAddress.TryParse(clientText, out var internalClient))
            {
                throw Bad(gateway, actionName, "NewInternalClient", clientText);
            }

            var lease = Seconds(r.Get(names.Lease), names.Lease, gateway, actionName);
            return new UpnpPortMapping(
                gateway,
                remoteHost,
                externalPort,
                protocol,
                internalPort,
                internalClient,
                Enabled(r.Get("NewEnabled")),
                r.Get(names.Description) ?? string.Empty,
                lease,
                lease == TimeSpan.Zero ? (DateTimeOffset?)null : now + lease);
        }

        private static IPAddress? RemoteHost(string? text, UpnpGateway gateway, string actionName)
        {
            text = (text ?? string.Empty).Trim();
            if (text.Length == 0 || text == "*")
            {
                return null;
            }

            return IPAddress.TryParse(text, out var address) ? address : throw Bad(gateway, actionName, "NewRemoteHost", text);
        }

        private static int Port(string? text, string name, UpnpGateway gateway, string actionName)
        {
            text = (text ?? string.Empty).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
                ? port
                : throw Bad(gateway, actionName, name, text);
        }

        private static PortMappingProtocol Protocol(string? text, UpnpGateway gateway, string actionName)
        {
            text = (text ?? string.Empty).Trim();
            if (string.Equals(text, "TCP", StringComparison.OrdinalIgnoreCase))
            {
                return PortMappingProtocol.TCP;
            }

            return string.Equals(text, "UDP", StringComparison.OrdinalIgnoreCase)
                ? PortMappingProtocol.UDP
                : throw Bad(gateway, actionName, "NewProtocol", text);
        }

        // An absent or empty lease is read as permanent, which is what the devices that omit it mean.
        private static TimeSpan Seconds(string? text, string name, UpnpGateway gateway, string actionName)
        {
            text = (text ?? string.Empty).Trim();
            if (text.Length == 0)
            {
                return TimeSpan.Zero;
            }

            return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                ? TimeSpan.FromSeconds(s)
                : throw Bad(gateway, actionName, name, text);
        }

        // Devices write 1/0; a few write true/false. Anything else is taken as enabled, the spec's default.
        private static bool Enabled(string? text)
        {
            text = (text ?? string.Empty).Trim();
            return !(text == "0" || string.Equals(text, "false", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "no", StringComparison.OrdinalIgnoreCase));
        }

        private static UpnpException Bad(UpnpGateway gateway, string actionName, string name, string value) =>
            SoapErrors.Malformed(actionName, gateway.ControlUrl!, name + " is '" + value + "', which is not a valid value", null);
    }
}
