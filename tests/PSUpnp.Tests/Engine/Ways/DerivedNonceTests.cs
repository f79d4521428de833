using System.Net;
using PSUpnp.Engine.Ways;
using Xunit;

namespace PSUpnp.Tests.Engine.Ways
{
    /// <summary>The PCP nonce is the same wherever the mapping is named (a new process, a scheduled task), and unique to it.</summary>
    public sealed class DerivedNonceTests
    {
        [Fact]
        public void TheSameClientPortAndProtocolGiveTheSameNonceInAnyProcess()
        {
            var first = DerivedNonce.Of(WayGateways.ThisHost, 8080, PortMappingProtocol.TCP, null);
            var again = DerivedNonce.Of(IPAddress.Parse("192.168.1.10"), 8080, PortMappingProtocol.TCP, null);

            Assert.Equal(first, again);
            Assert.Matches("^[0-9a-f]{24}$", first.ToString());
        }

        [Fact]
        public void AnotherClientPortOrProtocolGivesAnotherNonce()
        {
            var nonce = DerivedNonce.Of(WayGateways.ThisHost, 8080, PortMappingProtocol.TCP, null);

            Assert.NotEqual(nonce, DerivedNonce.Of(WayGateways.ThisHost, 8081, PortMappingProtocol.TCP, null));
            Assert.NotEqual(nonce, DerivedNonce.Of(WayGateways.ThisHost, 8080, PortMappingProtocol.UDP, null));
            Assert.NotEqual(nonce, DerivedNonce.Of(IPAddress.Parse("192.168.1.20"), 8080, PortMappingProtocol.TCP, null));
        }

        [Fact]
        public void ANonceTheMappingCarriedIsUsedAsItIs()
        {
            Assert.Equal("00112233445566778899aabb", DerivedNonce.Of(WayGateways.ThisHost, 8080, PortMappingProtocol.TCP, "00112233445566778899aabb").ToString());
        }

        [Theory]
        [InlineData("")]
        [InlineData("0011")]
        [InlineData("zz112233445566778899aabb")]
        public void ACarriedNonceThatIsNot24HexDigitsIsUpnpInvalidArgument(string carried)
        {
            var error = Assert.Throws<UpnpException>(() => DerivedNonce.Of(WayGateways.ThisHost, 8080, PortMappingProtocol.TCP, carried));

            Assert.Equal("UpnpInvalidArgument", error.ErrorId);
            Assert.Equal("PcpNonce", error.Target);
        }
    }
}
