using System.Net;
using PSUpnp.Engine.Ways;
using Xunit;

namespace PSUpnp.Tests.Engine.Ways
{
    /// <summary>The PCP nonce is the same wherever the mapping is named (a new process, a scheduled task), and unique to it.</summary>
    public sealed class DerivedNonceTests
    {
        [Fact]
        public void The_same_client_port_and_protocol_give_the_same_nonce_in_any_process()
        {
            var first = DerivedNonce.Of(WayGateways.ThisHost, 8080, PortMappingProtocol.TCP, null);
            var again = DerivedNonce.Of(IPAddress.Parse("192.168.1.10"), 8080, PortMappingProtocol.TCP, null);

            Assert.Equal(first, again);
            Assert.Matches("^[0-9a-f]{24}$", first.ToString());
        }

        [Fact]
        public void Another_client_port_or_protocol_gives_another_nonce()
        {
            var nonce = DerivedNonce.Of(WayGateways.ThisHost, 8080, PortMappingProtocol.TCP, null);

            Assert.NotEqual(nonce, DerivedNonce.Of(WayGateways.ThisHost, 8081, PortMappingProtocol.TCP, null));
            Assert.NotEqual(nonce, DerivedNonce.Of(WayGateways.ThisHost, 8080, PortMappingProtocol.UDP, null));
            Assert.NotEqual(nonce, DerivedNonce.Of(IPAddress.Parse("192.168.1.20"), 8080, PortMappingProtocol.TCP, null));
        }

        [Fact]
        public void A_nonce_the_mapping_carried_is_used_as_it_is()
        {
            Assert.Equal("00112233445566778899aabb", DerivedNonce.Of(WayGateways.ThisHost, 8080, PortMappingProtocol.TCP, "00112233445566778899aabb").ToString());
        }

        [Theory]
        [InlineData("")]
        [InlineData("0011")]
        [InlineData("zz112233445566778899aabb")]
        public void A_carried_nonce_that_is_not_24_hex_digits_is_UpnpInvalidArgument(string carried)
        {
            var error = Assert.Throws<UpnpException>(() => DerivedNonce.Of(WayGateways.ThisHost, 8080, PortMappingProtocol.TCP, carried));

            Assert.Equal("UpnpInvalidArgument", error.ErrorId);
            Assert.Equal("PcpNonce", error.Target);
        }
    }
}
