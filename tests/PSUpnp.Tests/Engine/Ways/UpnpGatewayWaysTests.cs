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
        public void AGatewayBuiltAsBeforeAnsweredUPnPIGDAtTheAddressOfItsControlUrl()
        {
            var gateway = WayGateways.Igd();

            Assert.Equal(new[] { M.UpnpIgd }, gateway.Methods);
            Assert.Equal(WayGateways.Router, gateway.Address);
        }

        [Fact]
        public void ARouterFoundOnlyByPCPAndNATPMPHasItsAddressItsWaysInOrderAndNoUPnPMembers()
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
        public void MergingTheWaysOfOneRouterKeepsItsUPnPDescription()
        {
            var merged = WayGateways.Igd().With(new[] { M.NatPmp, M.Pcp });

            Assert.Equal(new[] { M.UpnpIgd, M.Pcp, M.NatPmp }, merged.Methods);
            Assert.Equal(WayGateways.Igd().ControlUrl, merged.ControlUrl);
            Assert.Equal("Router", merged.FriendlyName);
        }

        [Fact]
        public void MethodsIsACopySoTheGatewayStaysImmutable()
        {
            var gateway = WayGateways.Without(M.Pcp);
            gateway.Methods[0] = M.UpnpIgd;

            Assert.Equal(new[] { M.Pcp }, gateway.Methods);
        }

        [Fact]
        public void AGatewayThatClaimsUPnPIGDWithoutAControlUrlOrNothingAtAllIsRefused()
        {
            Assert.Throws<ArgumentException>(() => new UpnpGateway(
                string.Empty, string.Empty, string.Empty, string.Empty, 0, null, null, null, null, WayGateways.ThisHost, null, null, WayGateways.Router, new[] { M.UpnpIgd }));
            Assert.Throws<ArgumentException>(() => new UpnpGateway(
                string.Empty, string.Empty, string.Empty, string.Empty, 0, null, null, null, null, WayGateways.ThisHost, null, null, WayGateways.Router, Array.Empty<PortMappingMethod>()));
            Assert.Throws<ArgumentException>(() => new UpnpGateway(
                string.Empty, string.Empty, string.Empty, string.Empty, 0, null, null, null, null, WayGateways.ThisHost, null, null, null, new[] { M.Pcp }));
        }

        [Fact]
        public void AMappingBuiltAsBeforeWasMadeByUPnPIGDAndCarriesNoNonce()
        {
            var mapping = new UpnpPortMapping(WayGateways.Igd(), null, 8080, PortMappingProtocol.TCP, 8080, IPAddress.Parse("192.168.1.10"), true, "x", TimeSpan.Zero, null);

            Assert.Equal(M.UpnpIgd, mapping.Method);
            Assert.Null(mapping.PcpNonce);
        }
    }
}
