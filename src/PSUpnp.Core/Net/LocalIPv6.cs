using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PSUpnp.Net
{
    /// <summary>
    /// What IPv6 pinholes need from this host, read from the interface that holds the gateway's (IPv4) LocalAddress:
    /// this host's global IPv6 address there (the default internal client) and the router's IPv6 address (its default
    /// route), to which pinhole actions go: miniupnpd lets a host open a pinhole only for the address it asks from.
    /// </summary>
    internal sealed class LocalIPv6
    {
        private LocalIPv6(IReadOnlyList<IPAddress> globalAddresses, IPAddress? router)
        {
            GlobalAddresses = globalAddresses;
            GlobalAddress = globalAddresses.FirstOrDefault();
            Router = router;
        }

        /// <summary>Every global-scope IPv6 address of the interface (stable and temporary alike).</summary>
        public IReadOnlyList<IPAddress> GlobalAddresses { get; }

        /// <summary>The first global-scope IPv6 address (not link-local, not a deprecated site-local) of the interface; null when it has none.</summary>
        /// <remarks>The default internal client, and the sender of pinhole actions for a client that is not this host's.</remarks>
        public IPAddress? GlobalAddress { get; }

        /// <summary>The interface's IPv6 default gateway, a global one preferred; a link-local one carries the interface's scope.</summary>
        public IPAddress? Router { get; }

        public static LocalIPv6 Of(IPAddress localIPv4)
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up)
                {
                    continue;
                }

                var properties = nic.GetIPProperties();
                if (!properties.UnicastAddresses.Any(u => u.Address.Equals(localIPv4)))
                {
                    continue;
                }

                var global = properties.UnicastAddresses.Select(u => u.Address).Where(IsGlobal).ToList();
                var gateways = properties.GatewayAddresses.Select(g => g.Address).Where(a => a.AddressFamily == AddressFamily.InterNetworkV6 && !a.Equals(IPAddress.IPv6Any)).ToList();
                var router = gateways.FirstOrDefault(IsGlobal) ?? gateways.FirstOrDefault();
                return new LocalIPv6(global, router);
            }

            return new LocalIPv6(Array.Empty<IPAddress>(), null);
        }

        public static bool IsGlobal(IPAddress address) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv6LinkLocal && !address.IsIPv6SiteLocal
            && !address.IsIPv6Multicast && !address.IsIPv4MappedToIPv6 && !IPAddress.IPv6Loopback.Equals(address);

        /// <summary>
        /// The address pinhole actions about <paramref name="client"/> go from: the client itself when it is one of this
        /// interface's addresses (the router checks the sender), else the default one, whose request the router refuses
        /// as it refuses any host asking for another's address.
        /// </summary>
        public IPAddress? SenderFor(IPAddress? client) =>
            client != null && GlobalAddresses.Contains(client) ? client : GlobalAddress;

        /// <summary>The firewall service's control URL with its host made the router's IPv6 address (kept if it already is one).</summary>
        public static Uri OnIPv6(Uri controlUrl, IPAddress router)
        {
            if (controlUrl.HostNameType == UriHostNameType.IPv6)
            {
                return controlUrl;
            }

            return new UriBuilder(controlUrl) { Host = router.ToString() }.Uri;
        }
    }
}
