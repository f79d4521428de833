using System;
using System.Collections.Generic;
using System.Net;
using System.Reflection;
using PSUpnp.Nat;
using PSUpnp.Stun;
using Xunit;

namespace PSUpnp.Tests.Nat
{
    public class NatTypeResultTests
    {
        private static readonly IPEndPoint Public = new IPEndPoint(IPAddress.Parse("198.51.100.20"), 40000);

        [Fact]
        public void NoGatewayMeansDoubleNatUncheckedAndUpnpCannotHelp()
        {
            var result = NatTypeResult.Create(Stun(NatType.PortRestrictedCone), null);

            Assert.Null(result.IsDoubleNat);
            Assert.Null(result.GatewayExternalAddress);
            Assert.Contains("No UPnP gateway answered", result.DoubleNat, StringComparison.Ordinal);
            Assert.Contains("hole punching", result.Verdict, StringComparison.Ordinal);
            Assert.Contains("UPnP port mapping cannot help", result.Verdict, StringComparison.Ordinal);
        }

        [Fact]
        public void AGatewayWithTheStunAddressIsNoDoubleNatAndMappingHelps()
        {
            var result = NatTypeResult.Create(Stun(NatType.Symmetric), Gateway("198.51.100.20"));

            Assert.False(result.IsDoubleNat);
            Assert.Equal(IPAddress.Parse("198.51.100.20"), result.GatewayExternalAddress);
            Assert.Contains("No double NAT", result.DoubleNat, StringComparison.Ordinal);
            Assert.Contains("relay", result.Verdict, StringComparison.Ordinal);
            Assert.Contains("will help", result.Verdict, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("10.0.0.2", "is private")]
        [InlineData("100.64.1.2", "carrier-grade NAT")]
        [InlineData("203.0.114.9", "differs from the public address 198.51.100.20")]
        public void AGatewayBehindAnotherNatIsCalledDoubleNatInWords(string external, string words)
        {
            var result = NatTypeResult.Create(Stun(NatType.FullCone), Gateway(external));

            Assert.True(result.IsDoubleNat);
            Assert.StartsWith("Double NAT", result.DoubleNat, StringComparison.Ordinal);
            Assert.Contains(words, result.DoubleNat, StringComparison.Ordinal);
            Assert.Contains("will not help", result.Verdict, StringComparison.Ordinal);
        }

        [Fact]
        public void ADirectPathIsNotDoubleNatWhenTheGatewayShowsAnotherAddress()
        {
            var result = NatTypeResult.Create(Stun(NatType.OpenInternet, isDirect: true), Gateway("203.0.114.9"));

            Assert.False(result.IsDoubleNat);
            Assert.StartsWith("No double NAT", result.DoubleNat, StringComparison.Ordinal);
            Assert.Contains("own address 198.51.100.20", result.DoubleNat, StringComparison.Ordinal);
            Assert.Contains("not needed", result.Verdict, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(NatType.OpenInternet, "not needed")]
        [InlineData(NatType.UdpBlocked, "blocked")]
        [InlineData(NatType.SymmetricUdpFirewall, "firewall")]
        [InlineData(NatType.Unknown, "Could not decide")]
        public void EveryNatTypeHasAOneLineVerdict(NatType type, string words)
        {
            var result = NatTypeResult.Create(Stun(type), Gateway("198.51.100.20"));

            Assert.Contains(words, result.Verdict, StringComparison.Ordinal);
            Assert.DoesNotContain("\n", result.Verdict, StringComparison.Ordinal);
            Assert.Equal(type, result.NatType);
        }

        [Fact]
        public void ResultTypesAreSealedAndHaveNoPublicSetters()
        {
            foreach (var type in new[] { typeof(NatTypeResult), typeof(NatDiscoveryResult), typeof(NatTestOutcome), typeof(NatTestProgress), typeof(StunTransactionResult), typeof(StunMessage) })
            {
                Assert.True(type.IsSealed, type.Name);
                Assert.All(type.GetProperties(BindingFlags.Public | BindingFlags.Instance), p => Assert.True(p.SetMethod == null || !p.SetMethod.IsPublic, type.Name + "." + p.Name));
            }
        }

        [Fact]
        public void AGatewayThatReportsTheStunAddressButDoesNotHoldItIsDoubleNatInWords()
        {
            // A router behind carrier-grade NAT that learnt its address by STUN: the addresses agree, the echo does not.
            var gateway = Gateway("198.51.100.20").WithHolder(false, "an ICMP echo to 198.51.100.20 with TTL 1 expired at the gateway 192.168.1.1");
            var result = NatTypeResult.Create(Stun(NatType.PortRestrictedCone), gateway);

            Assert.True(result.IsDoubleNat);
            Assert.StartsWith("Double NAT: the gateway reports the external address 198.51.100.20 but does not hold it", result.DoubleNat, StringComparison.Ordinal);
            Assert.Contains("will not help", result.Verdict, StringComparison.Ordinal);
        }

        private static NatDiscoveryResult Stun(NatType type, bool isDirect = false) => new NatDiscoveryResult(
            type,
            MappingBehavior.EndpointIndependent,
            FilteringBehavior.AddressAndPortDependent,
            false,
            isDirect,
            new IPEndPoint(IPAddress.Parse("192.168.1.10"), 40000),
            Public,
            "stun.example.org:3478",
            new IPEndPoint(IPAddress.Parse("192.0.2.1"), 3478),
            new IPEndPoint(IPAddress.Parse("192.0.2.2"), 3479),
            type == NatType.Unknown ? "The answers were too few to decide." : null,
            new List<NatTestOutcome>());

        private static UpnpExternalAddress Gateway(string external) => new UpnpExternalAddress(
            new UpnpGateway("router", "maker", "model", "uuid:1", 2, "urn:schemas-upnp-org:service:WANIPConnection:2", new Uri("http://192.168.1.1:5000/ctl"), new Uri("http://192.168.1.1:5000/desc.xml"), null, IPAddress.Parse("192.168.1.10")),
            IPAddress.Parse(external),
            "Connected",
            TimeSpan.FromHours(1),
            "ERROR_NONE");
    }
}
