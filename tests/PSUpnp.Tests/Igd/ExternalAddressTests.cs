using System;
using System.Net;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>Issue 3, Get-UpnpExternalAddress: a private or 100.64.0.0/10 external address means another NAT lies beyond the router.</summary>
    public sealed class ExternalAddressTests
    {
        private static readonly UpnpGateway Gateway = new UpnpGateway(
            "R", "M", "X", "uuid:r", 1, "urn:schemas-upnp-org:service:WANIPConnection:1",
            new Uri("http://192.168.1.1:5000/ctl/IPConn"), new Uri("http://192.168.1.1:5000/rootDesc.xml"), null, IPAddress.Parse("192.168.1.10"));

        private static UpnpExternalAddress Of(string? address) =>
            new UpnpExternalAddress(Gateway, address == null ? null : IPAddress.Parse(address), "Connected", TimeSpan.FromMinutes(1), string.Empty);

        [Theory]
        [InlineData("10.1.2.3")]
        [InlineData("172.16.0.1")]
        [InlineData("172.31.255.254")]
        [InlineData("192.168.0.1")]
        [InlineData("169.254.10.1")]
        public void APrivateExternalAddressIsBehindAnotherNatAndSaysSo(string address)
        {
            var external = Of(address);

            Assert.True(external.IsBehindAnotherNat);
            var warning = external.DoubleNatWarning();
            Assert.NotNull(warning);
            Assert.Contains(address, warning, StringComparison.Ordinal);
            Assert.Contains("another NAT", warning, StringComparison.Ordinal);
            Assert.Contains("not be reachable from the internet", warning, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("100.64.0.1")]
        [InlineData("100.127.255.254")]
        public void ACarrierGradeNatAddressIsBehindAnotherNatAndIsNamedSo(string address)
        {
            var external = Of(address);

            Assert.True(external.IsBehindAnotherNat);
            Assert.Contains("100.64.0.0/10", external.DoubleNatWarning(), StringComparison.Ordinal);
            Assert.Contains("carrier-grade NAT", external.DoubleNatWarning(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("100.63.255.255")]
        [InlineData("100.128.0.1")]
        [InlineData("172.32.0.1")]
        [InlineData("11.11.0.1")]
        [InlineData("81.2.69.160")]
        public void APublicExternalAddressIsNotBehindAnotherNat(string address)
        {
            var external = Of(address);

            Assert.False(external.IsBehindAnotherNat);
            Assert.Null(external.DoubleNatWarning());
        }

        [Fact]
        public void NoExternalAddressIsNoDoubleNatVerdict()
        {
            Assert.False(Of(null).IsBehindAnotherNat);
            Assert.Null(Of(null).DoubleNatWarning());
        }

        [Fact]
        public void APublicAddressTheGatewayDoesNotHoldIsBehindAnotherNatWithTheEvidenceAndTheFixes()
        {
            var external = Of("203.0.113.7").WithHolder(false, "an ICMP echo to 203.0.113.7 with TTL 1 expired at the gateway 192.168.1.1");

            Assert.True(external.IsBehindAnotherNat);
            Assert.False(external.IsHeldByGateway);
            var warning = external.DoubleNatWarning();
            Assert.NotNull(warning);
            Assert.Contains("expired at the gateway 192.168.1.1", warning, StringComparison.Ordinal);
            Assert.Contains("not be reachable from the internet", warning, StringComparison.Ordinal);
            Assert.Contains("bridge mode", warning, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(null)]
        public void APublicAddressTheGatewayHoldsOrThatCouldNotBeCheckedIsNoFinding(bool? held)
        {
            var external = Of("203.0.113.7").WithHolder(held, "whatever the echo said");

            Assert.False(external.IsBehindAnotherNat);
            Assert.Null(external.DoubleNatWarning());
        }
    }
}
