using System;
using System.Net;

namespace PSUpnp
{
    /// <summary>A port mapping as the router holds it.</summary>
    public sealed class UpnpPortMapping
    {
        public UpnpPortMapping(
            UpnpGateway gateway,
            IPAddress? remoteHost,
            int externalPort,
            PortMappingProtocol protocol,
            int internalPort,
            IPAddress internalClient,
            bool enabled,
            string description,
            TimeSpan leaseDuration,
            DateTimeOffset? expiresAt,
            IPAddress? externalAddress = null)
        {
            Gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            RemoteHost = remoteHost;
            ExternalPort = externalPort;
            Protocol = protocol;
            InternalPort = internalPort;
            InternalClient = internalClient ?? throw new ArgumentNullException(nameof(internalClient));
            Enabled = enabled;
            Description = description ?? string.Empty;
            LeaseDuration = leaseDuration;
            ExpiresAt = expiresAt;
            ExternalAddress = externalAddress;
        }

        public UpnpGateway Gateway { get; }
        /// <summary>The only remote host allowed to use the mapping; null when any host may (the wildcard).</summary>
        public IPAddress? RemoteHost { get; }
        public int ExternalPort { get; }
        public PortMappingProtocol Protocol { get; }
        public int InternalPort { get; }
        public IPAddress InternalClient { get; }
        public bool Enabled { get; }
        public string Description { get; }
        /// <summary>Remaining lease as the router reported it; TimeSpan.Zero means permanent.</summary>
        public TimeSpan LeaseDuration { get; }
        /// <summary>When the lease runs out (UTC), computed when the router was asked; null when permanent.</summary>
        public DateTimeOffset? ExpiresAt { get; }
        public bool IsPermanent => LeaseDuration == TimeSpan.Zero;

        /// <summary>
        /// The gateway's external address when Add-UpnpPortMapping made or renewed the mapping (where the internet reaches
        /// it, what a scheduled task publishes in DNS); null from a listing, or when the gateway did not tell.
        /// </summary>
        public IPAddress? ExternalAddress { get; }

        /// <summary>The same mapping with the external address the gateway reported after adding it.</summary>
        internal UpnpPortMapping WithExternalAddress(IPAddress? externalAddress) =>
            new UpnpPortMapping(Gateway, RemoteHost, ExternalPort, Protocol, InternalPort, InternalClient, Enabled, Description, LeaseDuration, ExpiresAt, externalAddress);

        public override string ToString() =>
            $"{Protocol} {ExternalPort} -> {InternalClient}:{InternalPort}";
    }
}
