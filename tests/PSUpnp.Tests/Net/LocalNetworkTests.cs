using System;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using PSUpnp.Net;
using Xunit;

namespace PSUpnp.Tests.Discovery
{
    public class LocalNetworkTests
    {
        private static LocalInterface Iface(string address, string mask) =>
            new LocalInterface("eth0", IPAddress.Parse(address), IPAddress.Parse(mask), true);

        [Theory]
        [InlineData("192.168.1.10", "255.255.255.0", "192.168.1.1", true)]
        [InlineData("192.168.1.10", "255.255.255.0", "192.168.1.255", true)]
        [InlineData("192.168.1.10", "255.255.255.0", "192.168.2.1", false)]
        [InlineData("10.0.5.3", "255.255.0.0", "10.0.200.1", true)]
        [InlineData("10.0.5.3", "255.255.0.0", "10.1.0.1", false)]
        [InlineData("172.16.0.9", "255.255.255.255", "172.16.0.9", true)]
        [InlineData("172.16.0.9", "255.255.255.255", "172.16.0.1", false)]
        [InlineData("192.168.1.10", "255.255.255.0", "::ffff:192.168.1.1", true)]
        [InlineData("192.168.1.10", "255.255.255.0", "fe80::1", false)]
        public void DirectlyConnectedMeansWithinTheInterfacePrefix(string address, string mask, string other, bool expected)
        {
            Assert.Equal(expected, Iface(address, mask).IsOnLink(IPAddress.Parse(other)));
        }

        [Fact]
        public void InterfaceDescribesItselfWithItsPrefixLength()
        {
            Assert.Equal("eth0 192.168.1.10/24", Iface("192.168.1.10", "255.255.255.0").ToString());
        }

        [Fact]
        public void SystemSnapshotHoldsExactlyTheIPv4AddressesOfUpNonLoopbackInterfaces()
        {
            // Compared with the platform's own list, so the test says something on any host, even one whose only
            // interface is loopback (then both are empty); in the lab's LAN namespace it holds eth0's two addresses.
            var expected = NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => u.Address))
                .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
                .Select(a => a.ToString())
                .OrderBy(a => a, StringComparer.Ordinal);

            var snapshot = SystemLocalNetwork.Instance.Read();

            Assert.Equal(expected, snapshot.Interfaces.Select(i => i.Address.ToString()).OrderBy(a => a, StringComparer.Ordinal));
            Assert.DoesNotContain(snapshot.DefaultGateways, g => g.AddressFamily != AddressFamily.InterNetwork || g.Equals(IPAddress.Any));
            Assert.Equal(snapshot.DefaultGateways.Count, snapshot.DefaultGateways.Distinct().Count());
        }

        [Fact]
        public void RouteSourceOfLoopbackIsLoopback()
        {
            Assert.Equal(IPAddress.Loopback, SystemLocalNetwork.Instance.GetRouteSource(IPAddress.Loopback));
        }
    }
}
