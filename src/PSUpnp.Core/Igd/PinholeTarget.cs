using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PSUpnp.Net;

namespace PSUpnp.Igd
{
    /// <summary>
    /// An IPv6 pinhole request checked, with its defaults applied: what AddPinhole sends. IPv6 has no translation, so
    /// the port opened is the internal client's own port (the request's InternalPort, else its ExternalPort).
    /// </summary>
    internal sealed class PinholeTarget
    {
        /// <summary>WANIPv6FirewallControl:1 bounds a pinhole's lease: 1 second to 24 hours, never permanent.</summary>
        public static readonly TimeSpan MaximumLease = TimeSpan.FromSeconds(86400);

        private PinholeTarget(IPAddress? remoteHost, int? remotePort, IPAddress internalClient, int internalPort, PortMappingProtocol protocol, TimeSpan lease, string description)
        {
            RemoteHost = remoteHost;
            RemotePort = remotePort;
            InternalClient = internalClient;
            InternalPort = internalPort;
            Protocol = protocol;
            Lease = lease;
            Description = description;
        }

        public IPAddress? RemoteHost { get; }
        public int? RemotePort { get; }
        public IPAddress InternalClient { get; }
        public int InternalPort { get; }
        public PortMappingProtocol Protocol { get; }
        public TimeSpan Lease { get; }
        public int LeaseSeconds => (int)Lease.TotalSeconds;

        /// <summary>Kept by this host only: the router's pinhole has no description.</summary>
        public string Description { get; }

        /// <summary>The request checked; <paramref name="defaultClient"/> is this host's global IPv6 address toward the gateway.</summary>
        /// <exception cref="UpnpException">UpnpInvalidArgument: what is wrong and what to give instead.</exception>
        public static PinholeTarget From(PortMappingRequest request, Func<IPAddress> defaultClient)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            PortMappingTarget.CheckPort(request.ExternalPort, "ExternalPort", 1);
            PortMappingTarget.CheckPort(request.InternalPort, "InternalPort", 0);
            if (request.RemotePort is int remotePort)
            {
                PortMappingTarget.CheckPort(remotePort, "RemotePort", 1);
            }

            if (request.PinholeId is int id)
            {
                CheckPinholeId(id);
            }

            if (request.LeaseDuration < TimeSpan.FromSeconds(1) || request.LeaseDuration > MaximumLease)
            {
                throw PortMappingTarget.Invalid("LeaseDuration", string.Format(
                    CultureInfo.InvariantCulture,
                    "An IPv6 pinhole needs a LeaseDuration from 1 second to 24 hours (WANIPv6FirewallControl has no permanent pinholes); it was {0}. Renew it with Add-UpnpPortMapping -Renew before it runs out.",
                    request.LeaseDuration));
            }

            var client = IPv6(request.InternalClient ?? defaultClient(), "InternalClient");
            var remote = request.RemoteHost == null ? null : IPv6(request.RemoteHost, "RemoteHost");
            return new PinholeTarget(
                remote,
                request.RemotePort,
                client,
                request.InternalPort == 0 ? request.ExternalPort : request.InternalPort,
                request.Protocol,
                TimeSpan.FromSeconds(Math.Floor(request.LeaseDuration.TotalSeconds)),
                request.Description ?? string.Empty);
        }

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0} pinhole -> [{1}]:{2}{3}", Protocol, InternalClient, InternalPort,
                RemoteHost == null && RemotePort == null ? string.Empty : " from [" + (RemoteHost?.ToString() ?? "*") + "]:" + (RemotePort?.ToString(CultureInfo.InvariantCulture) ?? "*"));

        private static IPAddress IPv6(IPAddress address, string name)
        {
            if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.IsIPv4MappedToIPv6)
            {
                throw PortMappingTarget.Invalid(name, name + " must be an IPv6 address for a pinhole (an IPv4 address gets a port mapping: -AddressFamily IPv4); it was " + address + ".");
            }

            if (address.IsIPv6LinkLocal || IPAddress.IPv6Loopback.Equals(address) || address.IsIPv6Multicast)
            {
                throw PortMappingTarget.Invalid(name, name + " must be a global IPv6 address (a pinhole opens the router's firewall to it from the internet); " + address + " is link-local, loopback or multicast.");
            }

            return address;
        }

        /// <exception cref="UpnpException">UpnpInvalidArgument: not a UniqueID the service can name (0 to 65535).</exception>
        internal static void CheckPinholeId(int id)
        {
            if (id < 0 || id > 65535)
            {
                throw PortMappingTarget.Invalid("PinholeId", "PinholeId must be between 0 and 65535 (the router's UniqueID of the pinhole); it was " + id.ToString(CultureInfo.InvariantCulture) + ".");
            }
        }
    }
}
