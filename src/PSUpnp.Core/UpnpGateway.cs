using System;
using System.Net;

namespace PSUpnp
{
    /// <summary>
    /// One WAN connection service (WANIPConnection or WANPPPConnection) of an Internet Gateway Device,
    /// as found by discovery and its device description. This is what every port mapping call talks to.
    /// </summary>
    public sealed class UpnpGateway
    {
        public UpnpGateway(
            string friendlyName,
            string manufacturer,
            string modelName,
            string udn,
            int igdVersion,
            string serviceType,
            Uri controlUrl,
            Uri descriptionUrl,
            Uri? presentationUrl,
            IPAddress localAddress,
            string? server = null,
            DateTimeOffset? expiresAt = null,
            Uri? firewallControlUrl = null)
        {
            FriendlyName = friendlyName ?? string.Empty;
            Manufacturer = manufacturer ?? string.Empty;
            ModelName = modelName ?? string.Empty;
            Udn = udn ?? string.Empty;
            IgdVersion = igdVersion;
            ServiceType = serviceType ?? throw new ArgumentNullException(nameof(serviceType));
            ControlUrl = controlUrl ?? throw new ArgumentNullException(nameof(controlUrl));
            DescriptionUrl = descriptionUrl ?? throw new ArgumentNullException(nameof(descriptionUrl));
            PresentationUrl = presentationUrl;
            LocalAddress = localAddress ?? throw new ArgumentNullException(nameof(localAddress));
            Server = server;
            ExpiresAt = expiresAt;
            FirewallControlUrl = firewallControlUrl;
        }

        /// <summary>The device's friendlyName, what the router calls itself.</summary>
        public string FriendlyName { get; }
        public string Manufacturer { get; }
        public string ModelName { get; }
        /// <summary>Unique Device Name (uuid:...) of the root device.</summary>
        public string Udn { get; }
        /// <summary>1 or 2: the version of urn:schemas-upnp-org:device:InternetGatewayDevice the root device claims.</summary>
        public int IgdVersion { get; }
        /// <summary>Full service type URN, e.g. urn:schemas-upnp-org:service:WANIPConnection:2.</summary>
        public string ServiceType { get; }
        /// <summary>Absolute control URL of the connection service, resolved against URLBase or the description URL.</summary>
        public Uri ControlUrl { get; }
        /// <summary>Where the root device description was read from (the SSDP LOCATION, or the caller's URL).</summary>
        public Uri DescriptionUrl { get; }
        /// <summary>The router's own administration page, when it names one.</summary>
        public Uri? PresentationUrl { get; }
        /// <summary>Address of this host's interface that reaches the gateway: the default internal client of mappings.</summary>
        public IPAddress LocalAddress { get; }
        /// <summary>The SSDP SERVER header, when the gateway was discovered rather than given.</summary>
        public string? Server { get; }
        /// <summary>When the SSDP advertisement expires (UTC), from CACHE-CONTROL max-age; null when not discovered or not said.</summary>
        public DateTimeOffset? ExpiresAt { get; }

        /// <summary>
        /// The control URL of the WANIPv6FirewallControl service beside the connection service (IGD v2), as the
        /// description gives it; null when the router offers no IPv6 pinholes. Pinhole actions go to the same path on the
        /// router's IPv6 address, from the internal client's own address (the router checks the sender).
        /// </summary>
        public Uri? FirewallControlUrl { get; }

        /// <summary>WANIPConnection or WANPPPConnection.</summary>
        public string ServiceName => ServiceTypeParts.Name(ServiceType);

        /// <summary>The version of the connection service (1 or 2): it, not the IGD version, decides which actions exist.</summary>
        public int ServiceVersion => ServiceTypeParts.Version(ServiceType);

        public override string ToString() => $"{FriendlyName} ({ControlUrl})";
    }
}
