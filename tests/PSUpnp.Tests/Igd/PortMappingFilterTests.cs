using System;
using System.Linq;
using System.Net;
using PSUpnp.Igd;
using Xunit;

namespace PSUpnp.Tests.ModuleEngine
{
    public sealed class PortMappingFilterTests
    {
        private static readonly UpnpGateway Gateway = new UpnpGateway(
            "Router", "Maker", "Model", "uuid:1", 2, "urn:schemas-upnp-org:service:WANIPConnection:2",
            new Uri("http://192.168.1.1:5000/ctl/IPConn"), new Uri("http://192.168.1.1:5000/rootDesc.xml"), null,
            IPAddress.Parse("192.168.1.20"));

        private static readonly UpnpPortMapping[] Table =
        {
            Mapping(8080, PortMappingProtocol.TCP, "192.168.1.20", "Web server"),
            Mapping(8080, PortMappingProtocol.UDP, "192.168.1.20", "Web server"),
            Mapping(27015, PortMappingProtocol.UDP, "192.168.1.31", "Steam game"),
            Mapping(51820, PortMappingProtocol.UDP, "192.168.1.5", "WireGuard"),
        };

        [Fact]
        public void AnEmptyFilterKeepsEveryMappingInTableOrder()
        {
            Assert.Equal(Table, new PortMappingFilter().Apply(Table));
        }

        [Fact]
        public void PortsMatchAnyOfTheGivenOnes()
        {
            var filter = new PortMappingFilter { ExternalPorts = new[] { 8080, 51820 } };

            Assert.Equal(new[] { 8080, 8080, 51820 }, filter.Apply(Table).Select(m => m.ExternalPort));
        }

        [Fact]
        public void AnEmptyPortListMeansAnyPort()
        {
            Assert.Equal(4, new PortMappingFilter { ExternalPorts = Array.Empty<int>() }.Apply(Table).Count());
        }

        [Fact]
        public void CriteriaCombineSoThatAllMustMatch()
        {
            var filter = new PortMappingFilter { ExternalPorts = new[] { 8080 }, Protocol = PortMappingProtocol.UDP };

            var match = Assert.Single(filter.Apply(Table));
            Assert.Equal(PortMappingProtocol.UDP, match.Protocol);
        }

        [Fact]
        public void TextPredicatesSeeTheInternalClientAddressAndTheDescription()
        {
            var seenClients = new System.Collections.Generic.List<string>();
            var filter = new PortMappingFilter
            {
                InternalClient = client => { seenClients.Add(client); return client.StartsWith("192.168.1.3", StringComparison.Ordinal); },
                Description = d => d.Contains("Steam", StringComparison.Ordinal),
            };

            var match = Assert.Single(filter.Apply(Table));
            Assert.Equal(27015, match.ExternalPort);
            Assert.Contains("192.168.1.5", seenClients);
        }

        [Fact]
        public void ANullMappingIsAnArgumentError()
        {
            Assert.Throws<ArgumentNullException>(() => new PortMappingFilter().Matches(null!));
        }

        private static UpnpPortMapping Mapping(int port, PortMappingProtocol protocol, string client, string description) =>
            new UpnpPortMapping(Gateway, null, port, protocol, port, IPAddress.Parse(client), true, description, TimeSpan.FromHours(2), null);
    }
}
