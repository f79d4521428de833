using System;
using System.Net;
using Xunit;
using M = PSUpnp.PortMappingMethod;

namespace PSUpnp.Tests.Engine.Ways
{
    /// <summary>A gateway says which ways answered, and one without UPnP IGD has no UPnP members rather than made-up ones.</summary>
    public sealed class UpnpGatewayWaysTests
    {
        [Fact]
        public void A_gateway_built_as_before_answered_UPnP_IGD_at_the_address_of_its_control_url()
        {
            var gateway = WayGateways.Igd();

            Assert.Equal(new[] { M.UpnpIgd }, gateway.Methods);
            Assert.Equal(WayGateways.Router, gateway.Address);
        }

        [Fact]
        public void A_router_found_only_by_PCP_and_NATPMP_has_its_address_its_ways_in_order_and_no_UPnP_members()
        {
            var gateway = WayGateways.Without(M.NatPmp, M.Pcp, M.NatPmp);

            Assert.Equal(new[] { M.Pcp, M.NatPmp }, gateway.Methods);
            Assert.Null(gateway.ControlUrl);
            Assert.Null(gateway.DescriptionUrl);
            Assert.Null(gateway.ServiceType);
            Assert.Null(gateway.ServiceName);
            Assert.Equal(0, gateway.ServiceVersion);
            Assert.Equal("192.168.1.1 (Pcp, NatPmp)", gateway.ToString());
        }

        [Fact]
        public void Merging_the_ways_of_one_router_keeps_its_UPnP_description()
        {
            var merged = WayGateways.Igd().With(new[] { M.NatPmp, M.Pcp });

            Assert.Equal(new[] { M.UpnpIgd, M.Pcp, M.NatPmp }, merged.Methods);
            Assert.Equal(WayGateways.Igd().ControlUrl, merged.ControlUrl);
            Assert.Equal("Router", merged.FriendlyName);
        }

        [Fact]
        public void Methods_is_a_copy_so_the_gateway_stays_immutable()
        {
            var gateway = WayGateways.Without(M.Pcp);
            gateway.Methods[0] = M.UpnpIgd;

            Assert.Equal(new[] { M.Pcp }, gateway.Methods);
        }

        [Fact]
        public void A_gateway_that_claims_UPnP_IGD_without_a_control_url_or_nothing_at_all_is_refused()
        {
            Assert.Throws<ArgumentException>(() => new UpnpGateway(
                string.Empty, string.Empty, string.Empty, string.Empty, 0, null, null, null, null, WayGateways.ThisHost, null, null, WayGateways.Router, new[] { M.UpnpIgd }));
            Assert.Throws<ArgumentException>(() => new UpnpGateway(
                string.Empty, string.Empty, string.Empty, string.Empty, 0, null, null, null, null, WayGateways.ThisHost, null, null, WayGateways.Router, Array.Empty<PortMappingMethod>()));
            Assert.Throws<ArgumentException>(() => new UpnpGateway(
                string.Empty, string.Empty, string.Empty, string.Empty, 0, null, null, null, null, WayGateways.ThisHost, null, null, null, new[] { M.Pcp }));
        }

        [Fact]
        public void A_mapping_built_as_before_was_made_by_UPnP_IGD_and_carries_no_nonce()
        {
            var mapping = new UpnpPortMapping(WayGateways.Igd(), null, 8080, PortMappingProtocol.TCP, 8080, IPAddress.Parse("192.168.1.10"), true, "x", TimeSpan.Zero, null);

            Assert.Equal(M.UpnpIgd, mapping.Method);
            Assert.Null(mapping.PcpNonce);
        }
    }
}
