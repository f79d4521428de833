using System;
using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PSUpnp.Net
{
    /// <summary>
    /// What the host knows about its own network: interfaces, default gateways and routes. Behind an interface so
    /// discovery's choices can be tested without the machine's real network.
    /// </summary>
    internal interface ILocalNetwork
    {
        /// <summary>IPv4 addresses of up, non-loopback interfaces, and the IPv4 default gateways the platform reports.</summary>
        NetworkSnapshot Read();

        /// <summary>The local address the host would use to reach <paramref name="remote"/>.</summary>
        IPAddress GetRouteSource(IPAddress remote);
    }

    /// <summary>The interfaces and default gateways read at one moment.</summary>
    internal sealed class NetworkSnapshot
    {
        public NetworkSnapshot(IReadOnlyList<LocalInterface> interfaces, IReadOnlyList<IPAddress> defaultGateways)
        {
            Interfaces = interfaces;
            DefaultGateways = defaultGateways;
        }

        public IReadOnlyList<LocalInterface> Interfaces { get; }
        public IReadOnlyList<IPAddress> DefaultGateways { get; }
    }

    /// <summary>The host's network as System.Net.NetworkInformation reports it.</summary>
    internal sealed class SystemLocalNetwork : ILocalNetwork
    {
        public static readonly SystemLocalNetwork Instance = new SystemLocalNetwork();

        private SystemLocalNetwork()
        {
        }

        public NetworkSnapshot Read()
        {
            var interfaces = new List<LocalInterface>();
            var gateways = new List<IPAddress>();
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                {
                    continue;
                }

                var properties = nic.GetIPProperties();
                foreach (var unicast in properties.UnicastAddresses)
                {
                    var address = unicast.Address;
                    if (address.AddressFamily != AddressFamily.InterNetwork || IPAddress.IsLoopback(address))
                    {
                        continue;
                    }

                    var mask = unicast.IPv4Mask;
                    if (mask == null || mask.Equals(IPAddress.Any))
                    {
                        // Without a mask nothing is known to be on link; a host route is the safe reading.
                        mask = IPAddress.Broadcast;
                    }

                    interfaces.Add(new LocalInterface(nic.Name, address, mask, nic.SupportsMulticast));
                }

                foreach (var gateway in properties.GatewayAddresses)
                {
                    var address = gateway.Address;
                    if (address.AddressFamily == AddressFamily.InterNetwork && !address.Equals(IPAddress.Any) && !gateways.Contains(address))
                    {
                        gateways.Add(address);
                    }
                }
            }

            return new NetworkSnapshot(interfaces, gateways);
        }

        public IPAddress GetRouteSource(IPAddress remote)
        {
            // Connecting a UDP socket sends nothing; it only asks the routing table which source address it would use.
            try
            {
                using (var socket = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
                {
                    socket.Connect(new IPEndPoint(remote, RouteProbePort));
                    return ((IPEndPoint)socket.LocalEndPoint!).Address;
                }
            }
            catch (SocketException e)
            {
                throw new UpnpConnectionException(UpnpErrors.NoRoute, "This host has no route to " + remote + ": " + e.Message, remote, e);
            }
        }

        // Any port does: connecting a UDP socket only consults the routing table.
        private const int RouteProbePort = 1900;
    }
}
