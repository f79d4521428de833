using PSUpnp.Engine.Ways;
using Xunit;
using M = PSUpnp.PortMappingMethod;

namespace PSUpnp.Tests.Engine.Ways
{
    /// <summary>Which way a call uses: the one named, else UPnP IGD, then PCP, then NAT-PMP, among those the gateway answered.</summary>
    public sealed class WayChoiceTests
    {
        public static TheoryData<PortMappingMethod[], PortMappingMethod?, PortMappingMethod> Choices => new TheoryData<PortMappingMethod[], PortMappingMethod?, PortMappingMethod>
        {
            { new[] { M.UpnpIgd }, null, M.UpnpIgd },
            { new[] { M.UpnpIgd, M.Pcp, M.NatPmp }, null, M.UpnpIgd },
            { new[] { M.NatPmp, M.Pcp }, null, M.Pcp },
            { new[] { M.NatPmp }, null, M.NatPmp },
            { new[] { M.UpnpIgd, M.Pcp, M.NatPmp }, M.NatPmp, M.NatPmp },
            // PCP and NAT-PMP need only the router's address: a way whose answer was lost in discovery can be named.
            { new[] { M.UpnpIgd }, M.Pcp, M.Pcp },
            { new[] { M.NatPmp }, M.Pcp, M.Pcp },
        };

        [Theory]
        [MemberData(nameof(Choices))]
        public void TheNamedWayWinsElseTheFirstTheGatewayAnsweredInTheOrderIGDPCPNATPMP(PortMappingMethod[] answered, PortMappingMethod? asked, PortMappingMethod chosen)
        {
            var gateway = System.Array.IndexOf(answered, M.UpnpIgd) >= 0
                ? WayGateways.Igd(System.Array.FindAll(answered, m => m != M.UpnpIgd))
                : WayGateways.Without(answered);

            Assert.Equal(chosen, WayChoice.Choose(gateway, asked));
        }

        [Fact]
        public void UpnpIgdNamedForARouterWithoutAControlUrlIsUpnpMethodUnavailableNamingTheWaysItAnswered()
        {
            var error = Assert.Throws<UpnpException>(() => WayChoice.Choose(WayGateways.Without(M.Pcp, M.NatPmp), M.UpnpIgd));

            Assert.Equal("UpnpMethodUnavailable", error.ErrorId);
            Assert.Contains("Pcp, NatPmp", error.Message);
        }

        [Theory]
        [InlineData(null)]
        [InlineData(PortMappingMethod.Pcp)]
        [InlineData(PortMappingMethod.NatPmp)]
        public void ListingByPCPOrNATPMPIsUpnpMappingListNotSupported(PortMappingMethod? asked)
        {
            var gateway = asked == null ? WayGateways.Without(M.Pcp, M.NatPmp) : WayGateways.Igd(M.Pcp, M.NatPmp);

            var error = Assert.Throws<UpnpException>(() => WayChoice.RequireListing(gateway, asked));

            Assert.Equal("UpnpMappingListNotSupported", error.ErrorId);
            Assert.Equal(UpnpErrorCategory.NotImplemented, error.Category);
        }

        [Fact]
        public void ListingAGatewayThatAnswersUPnPIGDIsAllowed()
        {
            WayChoice.RequireListing(WayGateways.Igd(M.Pcp), null);
            WayChoice.RequireListing(WayGateways.Igd(), M.UpnpIgd);
        }
    }
}
