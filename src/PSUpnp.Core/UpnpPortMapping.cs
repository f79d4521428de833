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
