using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace PSUpnp
{
    /// <summary>
    /// A router that answered discovery: one WAN connection service (WANIPConnection or WANPPPConnection) of an Internet
    /// Gateway Device as its description says, and the other ways (PCP, NAT-PMP) it answered. This is what every port
    /// mapping call talks to. A router found only by PCP or NAT-PMP has no description: its UPnP members (ServiceType,
    /// ControlUrl, DescriptionUrl, ServiceName) are null and IgdVersion and ServiceVersion are 0.
    /// </summary>
    public sealed class UpnpGateway
    {
        public UpnpGateway(
            string friendlyName,
            string manufacturer,
            string modelName,
            string udn,
            int igdVersion,
            string? serviceType,
            Uri? controlUrl,
            Uri? descriptionUrl,
            Uri? presentationUrl,
            IPAddress localAddress,
            string? server = null,
            DateTimeOffset? expiresAt = null,
            IPAddress? address = null,
            IEnumerable<PortMappingMethod>? methods = null,
            Uri? firewallControlUrl = null)
        {
            FriendlyName = friendlyName ?? string.Empty;
            Manufacturer = manufacturer ?? string.Empty;
            ModelName = modelName ?? string.Empty;
            Udn = udn ?? string.Empty;
            IgdVersion = igdVersion;
            // PowerShell passes $null for a string as "": an empty service type is none.
            serviceType = string.IsNullOrEmpty(serviceType) ? null : serviceType;
            ServiceType = serviceType;
            ControlUrl = controlUrl;
            DescriptionUrl = descriptionUrl;
            PresentationUrl = presentationUrl;
            LocalAddress = localAddress ?? throw new ArgumentNullException(nameof(localAddress));
            Server = server;
            ExpiresAt = expiresAt;
            Address = address ?? (controlUrl != null && IPAddress.TryParse(controlUrl.Host, out var host) ? host : null);
            // Without a list, a gateway with a control URL is one that answered UPnP IGD (every caller before PCP and NAT-PMP).
            _methods = (methods ?? (controlUrl != null ? new[] { PortMappingMethod.UpnpIgd } : Array.Empty<PortMappingMethod>())).Distinct().OrderBy(m => m).ToArray();
            if ((controlUrl == null) != (serviceType == null) || (controlUrl == null) == _methods.Contains(PortMappingMethod.UpnpIgd))
            {
                throw new ArgumentException("A gateway has a service type and a control URL exactly when it answered UPnP IGD.", nameof(methods));
            }

            if (_methods.Length == 0 || Address == null && controlUrl == null)
            {
                throw new ArgumentException("A gateway answered at least one way, and one without UPnP IGD has an address.", nameof(address));
            }
            FirewallControlUrl = firewallControlUrl;
        }

        private readonly PortMappingMethod[] _methods;

        /// <summary>The device's friendlyName, what the router calls itself.</summary>
        public string FriendlyName { get; }
        public string Manufacturer { get; }
        public string ModelName { get; }
        /// <summary>Unique Device Name (uuid:...) of the root device.</summary>
        public string Udn { get; }
        /// <summary>1 or 2: the version of urn:schemas-upnp-org:device:InternetGatewayDevice the root device claims.</summary>
        public int IgdVersion { get; }
        /// <summary>Full service type URN, e.g. urn:schemas-upnp-org:service:WANIPConnection:2; null without UPnP IGD.</summary>
        public string? ServiceType { get; }
        /// <summary>Absolute control URL of the connection service, resolved against URLBase or the description URL; null without UPnP IGD.</summary>
        public Uri? ControlUrl { get; }
        /// <summary>Where the root device description was read from (the SSDP LOCATION, or the caller's URL); null without UPnP IGD.</summary>
        public Uri? DescriptionUrl { get; }
        /// <summary>The router's own administration page, when it names one.</summary>
        public Uri? PresentationUrl { get; }
        /// <summary>Address of this host's interface that reaches the gateway: the default internal client of mappings.</summary>
        public IPAddress LocalAddress { get; }
        /// <summary>The SSDP SERVER header, when the gateway was discovered rather than given.</summary>
        public string? Server { get; }
        /// <summary>When the SSDP advertisement expires (UTC), from CACHE-CONTROL max-age; null when not discovered or not said.</summary>
        public DateTimeOffset? ExpiresAt { get; }

        /// <summary>The router's address: the host of the control URL, or the default gateway that answered PCP or NAT-PMP.</summary>
        public IPAddress? Address { get; }

        /// <summary>
        /// The control URL of the WANIPv6FirewallControl service beside the connection service (IGD v2), as the
        /// description gives it; null when the router offers no IPv6 pinholes. Pinhole actions go to the same path on the
        /// router's IPv6 address, from the internal client's own address (the router checks the sender).
        /// </summary>
        public Uri? FirewallControlUrl { get; }

        /// <summary>The ways the router answered, in the order they are preferred (UpnpIgd, Pcp, NatPmp). A copy.</summary>
        public PortMappingMethod[] Methods => (PortMappingMethod[])_methods.Clone();

        /// <summary>WANIPConnection or WANPPPConnection; null without UPnP IGD.</summary>
        public string? ServiceName => ServiceType == null ? null : ServiceTypeParts.Name(ServiceType);

        /// <summary>The version of the connection service (1 or 2): it, not the IGD version, decides which actions exist; 0 without UPnP IGD.</summary>
        public int ServiceVersion => ServiceType == null ? 0 : ServiceTypeParts.Version(ServiceType);

        /// <summary>True when the router answered this way.</summary>
        public bool Speaks(PortMappingMethod method) => Array.IndexOf(_methods, method) >= 0;

        /// <summary>"Router (192.168.1.1)", or the address alone for a router without a UPnP description: for messages.</summary>
        internal string Label => FriendlyName.Length > 0 ? FriendlyName + " (" + Host + ")" : Host;

        /// <summary>The router's address as text, or the control URL's host name when it names no address.</summary>
        internal string Host => Address?.ToString() ?? ControlUrl!.Host;

        /// <summary>The same router, answering the ways of both (the UPnP description, when any, from this one).</summary>
        internal UpnpGateway With(IEnumerable<PortMappingMethod> more) => new UpnpGateway(
            FriendlyName, Manufacturer, ModelName, Udn, IgdVersion, ServiceType, ControlUrl, DescriptionUrl, PresentationUrl,
            LocalAddress, Server, ExpiresAt, Address, _methods.Concat(more), FirewallControlUrl);

        public override string ToString() =>
            ControlUrl != null ? $"{FriendlyName} ({ControlUrl})" : $"{Host} ({string.Join(", ", _methods)})";
    }
}
