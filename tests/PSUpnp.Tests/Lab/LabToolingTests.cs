using System;
using System.Net;
using PSUpnp.Lab;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Lab
{
    /// <summary>The lab's own parsers, which need no lab: lab.conf and turnutils_natdiscovery's report.</summary>
    public sealed class LabToolingTests
    {
        private const string Conf = "# comment\nDEFAULT_PREFIX=psu\nNS_LAN_SUFFIX=lan\nNS_LAN2_SUFFIX=lan2\nNS_RTR_SUFFIX=rtr\nNS_WAN_SUFFIX=wan\n" +
            "LAN_SUBNET=192.168.77.0/24\nRTR_LAN_IP=192.168.77.1\nLAN_IP=192.168.77.10\nLAN2_IP=192.168.77.20\nWAN_SUBNET=11.11.0.0/24\n" +
            "RTR_WAN_IP=11.11.0.1\nWAN_IP1=11.11.0.2\nWAN_IP2=11.11.0.3\nOPEN_SUBNET=11.22.0.0/24\nLAN_OPEN_IP=11.22.0.10\n" +
            "MINIUPNPD_HTTP_PORT=5000\nMINIUPNPD_UUID=u\nMINIUPNPD_DENIED_PORT=80\nNATPMP_PORT=5351\nSTUN_PORT=3478\nSTUN_ALT_PORT=3479\n" +
            "DEFAULT_NAT_MODE=port-restricted\nNS_EDGE_SUFFIX=edge\nEDGE_WAN_IP=11.11.0.4\nCGNAT_SUBNET=100.64.0.0/24\n" +
            "CGNAT_EDGE_IP=100.64.0.1\nCGNAT_RTR_IP=100.64.0.2\nBOX_SUBNET=192.168.1.0/24\nBOX_LAN_IP=192.168.1.1\nBOX_RTR_IP=192.168.1.2\n" +
            "BOX_MINIUPNPD_UUID=b\nRTR_WAN_IP_CHANGED=11.11.0.5\n" +
            "RTR_LAN_IP6=2001:db8:77::1\nLAN_IP6=2001:db8:77::10\nLAN2_IP6=2001:db8:77::20\nWAN_IP6=2001:db8:11::2\n";

        [Fact]
        public void RepositoryLabConfLoadsWithTheDefaultPrefix()
        {
            var env = LabEnvironment.Load(RepoPaths.Combine("tests", "Lab"), null);

            Assert.Equal("psu", env.Prefix);
            Assert.Equal("psu-lan", env.LanNamespace);
            Assert.Equal(new Uri("http://" + env.RouterLanAddress + ":" + env.MiniupnpdHttpPort + "/rootDesc.xml"), env.RootDescriptionUrl);
            Assert.Equal(NatMode.PortRestricted, env.DefaultNatMode);
        }

        [Fact]
        public void PrefixNamesEveryNamespace()
        {
            var env = LabEnvironment.Parse(Conf, "/lab", "stn");

            Assert.Equal("stn-lan", env.NamespaceOf(LabRole.Lan));
            Assert.Equal("stn-lan2", env.NamespaceOf(LabRole.Lan2));
            Assert.Equal("stn-rtr", env.NamespaceOf(LabRole.Router));
            Assert.Equal("stn-wan", env.NamespaceOf(LabRole.Wan));
            Assert.Equal("stn-edge", env.NamespaceOf(LabRole.Edge));
            Assert.Equal("/tmp/psupnp-lab-stn", env.StateDirectory);
            Assert.Equal(IPAddress.Parse("11.22.0.10"), env.ClientAddressFor(NatMode.Open));
            Assert.Equal(IPAddress.Parse("192.168.77.10"), env.ClientAddressFor(NatMode.Symmetric));
        }

        [Theory]
        [InlineData("Psu")]
        [InlineData("a-b")]
        [InlineData("prefixlongerthan12")]
        public void InvalidPrefixIsRefused(string prefix)
        {
            Assert.Throws<FormatException>(() => LabEnvironment.Parse(Conf, "/lab", prefix));
        }

        [Fact]
        public void MissingKeyIsNamed()
        {
            var ex = Assert.Throws<FormatException>(() => LabEnvironment.Parse(Conf.Replace("WAN_IP2=11.11.0.3\n", string.Empty), "/lab", null));

            Assert.Contains("WAN_IP2", ex.Message);
        }

        [Fact]
        public void NatDiscoveryVerdictsAreReadPerSection()
        {
            const string Output = "\n-= Mapping Behavior Discovery =-\n\n0: : IPv4. UDP reflexive addr: 11.11.0.1:40000\n" +
                "========================================\nNAT with Endpoint Independent Mapping!\n========================================\n\n" +
                "-= Filtering Behavior Discovery =-\n0: : IPv4. UDP reflexive addr: 11.11.0.1:40002\n" +
                "========================================\nNAT with Address and Port Dependent Filtering!\n";

            var result = NatDiscoveryResult.Parse(Output);

            Assert.Equal(NatBehavior.EndpointIndependent, result.Mapping);
            Assert.Equal(NatBehavior.AddressAndPortDependent, result.Filtering);
            Assert.False(result.NoNat);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("11.11.0.1"), 40000), result.ReflexiveAddress);
        }

        [Fact]
        public void NatDiscoveryTimeoutsAreNoAnswer()
        {
            var result = NatDiscoveryResult.Parse("\n-= Mapping Behavior Discovery =-\nSTUN receive timeout..\n\n-= Filtering Behavior Discovery =-\nSTUN receive timeout..\n");

            Assert.Equal(NatBehavior.NoAnswer, result.Mapping);
            Assert.Equal(NatBehavior.NoAnswer, result.Filtering);
            Assert.Null(result.ReflexiveAddress);
        }

        [Fact]
        public void NatDiscoveryOutputWithoutSectionsIsRefused()
        {
            Assert.Throws<FormatException>(() => NatDiscoveryResult.Parse("turnutils_natdiscovery: usage"));
        }
    }
}
