using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PSUpnp.Description;
using PSUpnp.Igd;
using PSUpnp.Net;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>The pure parts of IPv6 pinholes: which families a request asks for, what a pinhole request may hold, what AddPinhole sends.</summary>
    public sealed class PinholePlanTests
    {
        private static readonly IPAddress Me = IPAddress.Parse("2001:db8:77::10");

        private static PortMappingRequest Request(IPAddress? client = null, int? remotePort = null, int? pinholeId = null) => new PortMappingRequest
        {
            ExternalPort = 8080,
            InternalClient = client,
            RemotePort = remotePort,
            PinholeId = pinholeId,
        };

        [Theory]
        [InlineData(null, null, null, "InterNetwork")]
        [InlineData(null, "2001:db8:77::10", null, "InterNetworkV6")]
        [InlineData(null, null, 7, "InterNetworkV6")]
        [InlineData(AddressFamilySelection.Both, null, null, "InterNetwork,InterNetworkV6")]
        [InlineData(AddressFamilySelection.IPv6, "192.168.1.10", null, "InterNetworkV6")]
        public void TheFamiliesAreTheOneNamedElseTheClientsElseIPv4(AddressFamilySelection? given, string? client, int? pinholeId, string expected)
        {
            var families = AddressFamilyPlan.Families(given, Request(client == null ? null : IPAddress.Parse(client), pinholeId: pinholeId));

            Assert.Equal(expected, string.Join(",", families));
        }

        [Fact]
        public void BothWithAnInternalClientAndIPv4WithPinholeFieldsAreRefusedBeforeAnythingIsAsked()
        {
            var both = Assert.Throws<UpnpException>(() => AddressFamilyPlan.Families(AddressFamilySelection.Both, Request(IPAddress.Parse("192.168.1.10"))));
            var ipv4 = Assert.Throws<UpnpException>(() => AddressFamilyPlan.Families(AddressFamilySelection.IPv4, Request(remotePort: 4000)));

            Assert.Equal(UpnpErrors.InvalidArgument.Id, both.ErrorId);
            Assert.Contains("takes no -InternalClient", both.Message);
            Assert.Equal("RemotePort", ipv4.Target);
        }

        [Theory]
        [InlineData("192.168.1.10", "must be an IPv6 address")]
        [InlineData("fe80::1", "link-local")]
        [InlineData("::1", "loopback")]
        public void APinholeNeedsAGlobalIPv6Client(string client, string said)
        {
            var error = Assert.Throws<UpnpException>(() => PinholeTarget.From(Request(IPAddress.Parse(client)), () => Me));

            Assert.Contains(said, error.Message);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(86401)]
        public void APinholeLeaseIsOneSecondToOneDay(int seconds)
        {
            var request = Request();
            request.LeaseDuration = TimeSpan.FromSeconds(seconds);

            var error = Assert.Throws<UpnpException>(() => PinholeTarget.From(request, () => Me));

            Assert.Equal("LeaseDuration", error.Target);
        }

        [Fact]
        public void AddPinholeSendsTheDefaultClientTheInternalPortTheProtocolNumberAndTheLeaseInOrder()
        {
            var request = Request(remotePort: 4000);
            request.InternalPort = 9000;
            request.Protocol = PortMappingProtocol.UDP;
            request.LeaseDuration = TimeSpan.FromMinutes(5);

            var sent = IgdAction.Pinhole(PinholeTarget.From(request, () => Me));

            Assert.Equal(
                new[] { "RemoteHost=", "RemotePort=4000", "InternalClient=2001:db8:77::10", "InternalPort=9000", "Protocol=17", "LeaseTime=300" },
                Array.ConvertAll(sent, a => a.Key + "=" + a.Value));
        }

        [Fact]
        public void TheFirewallControlUrlGoesToTheRoutersIPv6AddressKeepingPortAndPath()
        {
            var url = LocalIPv6.OnIPv6(new Uri("http://192.168.77.1:5000/ctl/IP6FCtl"), IPAddress.Parse("2001:db8:77::1"));

            Assert.Equal(new Uri("http://[2001:db8:77::1]:5000/ctl/IP6FCtl"), url);
        }

        [Fact]
        public void AFirewallServiceOfAnotherDeviceIsNotThisConnectionsFirewall()
        {
            const string xml = @"<?xml version=""1.0""?><root xmlns=""urn:schemas-upnp-org:device-1-0""><device>
<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:2</deviceType><friendlyName>R</friendlyName><UDN>uuid:r</UDN>
<serviceList/>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:2</deviceType><UDN>uuid:w</UDN>
<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPv6FirewallControl:1</serviceType><serviceId>f</serviceId><controlURL>/fw</controlURL></service></serviceList>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:2</deviceType><UDN>uuid:c</UDN>
<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:2</serviceType><serviceId>c</serviceId><controlURL>/ctl</controlURL></service></serviceList>
</device></deviceList></device></deviceList></device></root>";

            var gateway = Assert.Single(GatewayBuilder.Build(DeviceDescriptionParser.Parse(Encoding.UTF8.GetBytes(xml)), new Uri("http://192.168.1.1:5000/d.xml"), IPAddress.Parse("192.168.1.10")));

            Assert.Null(gateway.FirewallControlUrl);
        }
    }
}
