using System;
using System.Net;
using System.Net.Sockets;

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
            PortMappingMethod method = PortMappingMethod.UpnpIgd,
            string? pcpNonce = null,
            IPAddress? externalAddress = null,
            AddressFamily addressFamily = AddressFamily.InterNetwork,
            int? pinholeId = null,
            int remotePort = 0)
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
            Method = method;
            PcpNonce = pcpNonce;
            ExternalAddress = externalAddress;
            AddressFamily = addressFamily;
            PinholeId = pinholeId;
            RemotePort = remotePort;
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
        /// <summary>The way that made (or listed) the mapping: UPnP IGD, PCP or NAT-PMP.</summary>
        public PortMappingMethod Method { get; }
        /// <summary>
        /// The PCP mapping nonce (24 hex digits) that renews or deletes the mapping, null for the other ways. Saved with
        /// the mapping (Export-Clixml), so a renewal in another process is the same mapping.
        /// </summary>
        public string? PcpNonce { get; }

        /// <summary>
        /// The gateway's external address when Add-UpnpPortMapping made or renewed the mapping (where the internet reaches
        /// it, what a scheduled task publishes in DNS); null from a listing, or when the gateway did not tell.
        /// </summary>
        public IPAddress? ExternalAddress { get; }

        /// <summary>The same mapping with the external address the gateway reported after adding it.</summary>
        internal UpnpPortMapping WithExternalAddress(IPAddress? externalAddress) =>
            new UpnpPortMapping(Gateway, RemoteHost, ExternalPort, Protocol, InternalPort, InternalClient, Enabled, Description, LeaseDuration, ExpiresAt, Method, PcpNonce, externalAddress, AddressFamily, PinholeId, RemotePort);

        /// <summary>
        /// InterNetwork: a port mapping of the IPv4 NAT. InterNetworkV6: an IPv6 firewall pinhole (no translation: the
        /// internal client's own address and port are reachable, ExternalPort equals InternalPort).
        /// </summary>
        public AddressFamily AddressFamily { get; }
        /// <summary>The router's UniqueID of an IPv6 pinhole (WANIPv6FirewallControl); null for an IPv4 mapping.</summary>
        public int? PinholeId { get; }
        /// <summary>The only remote port allowed through an IPv6 pinhole; 0 when any port may (always for IPv4 mappings).</summary>
        public int RemotePort { get; }

        public override string ToString() => PinholeId is int id
            ? $"{Protocol} pinhole {id} -> [{InternalClient}]:{InternalPort}"
            : $"{Protocol} {ExternalPort} -> {InternalClient}:{InternalPort}";
    }
}
