using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Engine;
using PSUpnp.Igd;
using PSUpnp.Lab;
using PSUpnp.Nat;
using PSUpnp.Stun;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Lab;
using Xunit;

namespace PSUpnp.Tests.Nat
{
    /// <summary>
    /// Test-NatType's engine call in the lab: coturn through the router's NAT, and the router's miniupnpd answering
    /// the UPnP cross-check at the same time, found by discovery as the cmdlet finds it.
    /// </summary>
    [Trait("Category", "Lab")]
    [Collection(LabCollection.Name)]
    public sealed class NatTypeProbeLabTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

        // Discovery returns with the first usable gateway; this only bounds a slow, busy test host.
        private static readonly TimeSpan GatewayBound = TimeSpan.FromSeconds(10);

        private readonly LabFixture _lab;
        private readonly ListTrace _trace = new ListTrace();

        public NatTypeProbeLabTests(LabFixture lab)
        {
            _lab = lab;
        }

        private LabEnvironment Env => _lab.Environment;

        [Fact]
        public async Task BehindThePortRestrictedRouterTheGatewaysAddressIsTheStunAddressSoNoDoubleNat()
        {
            var result = await ProbeAsync(NatMode.PortRestricted, Env.LanAddress, Env.LanAddress);

            Assert.True(result.NatType == NatType.PortRestrictedCone, result.NatType + ": " + result.Reason);
            Assert.Equal(MappingBehavior.EndpointIndependent, result.MappingBehavior);
            Assert.Equal(FilteringBehavior.AddressAndPortDependent, result.FilteringBehavior);
            Assert.Null(result.Reason);
            Assert.False(result.IsDirect);
            Assert.False(result.Hairpinning);
            Assert.Equal(Env.LanAddress, result.LocalEndpoint.Address);
            Assert.Equal(Env.RouterWanAddress, result.PublicEndpoint!.Address);
            Assert.Equal(Env.StunServer.ToString(), result.Server);
            Assert.Equal(Env.StunServer, result.ServerEndpoint);
            Assert.Equal(Env.RouterWanAddress, result.GatewayExternalAddress);
            Assert.False(result.IsDoubleNat);
            Assert.StartsWith("No double NAT", result.DoubleNat, StringComparison.Ordinal);
            Assert.Contains("hole punching", result.Verdict, StringComparison.Ordinal);
            Assert.Contains("UPnP port mapping on the gateway will help", result.Verdict, StringComparison.Ordinal);
            Assert.True(_trace.Any("UPnP cross-check: "), string.Join("\n", _trace.Lines));
        }

        [Fact]
        public async Task WhenForwardedUdpIsBlockedTheGatewayStillAnswersButThereIsNothingToCompare()
        {
            var result = await ProbeAsync(NatMode.UdpBlocked, Env.LanAddress, Env.LanAddress);

            Assert.Equal(NatType.UdpBlocked, result.NatType);
            Assert.Null(result.PublicEndpoint);
            Assert.Equal(Env.RouterWanAddress, result.GatewayExternalAddress);
            Assert.Null(result.IsDoubleNat);
            Assert.Contains("STUN saw no public address", result.DoubleNat, StringComparison.Ordinal);
            Assert.Contains("blocked", result.Verdict, StringComparison.Ordinal);
        }

        [Fact]
        public async Task FromTheOpenAddressTheRouterIsNotOnThePathSoItsOtherAddressIsNoDoubleNat()
        {
            // The test host holds a routed public address beside its LAN one; the router's NAT serves only the latter.
            var result = await ProbeAsync(NatMode.Open, Env.LanOpenAddress, null);

            Assert.True(result.NatType == NatType.OpenInternet, result.NatType + ": " + result.Reason);
            Assert.True(result.IsDirect);
            Assert.Equal(Env.LanOpenAddress, result.PublicEndpoint!.Address);
            Assert.Equal(Env.RouterWanAddress, result.GatewayExternalAddress);
            Assert.False(result.IsDoubleNat);
            Assert.Contains("not on the path", result.DoubleNat, StringComparison.Ordinal);
            Assert.Contains("not needed", result.Verdict, StringComparison.Ordinal);
        }

        private async Task<NatTypeResult> ProbeAsync(NatMode mode, IPAddress stunFrom, IPAddress? searchFrom)
        {
            using var bound = new CancellationTokenSource(Bound);
            await _lab.Controller.SetNatModeAsync(mode, bound.Token);
            try
            {
                var options = new NatDiscoveryOptions
                {
                    Servers = new List<string> { Env.StunServer.ToString() },
                    LocalAddress = stunFrom,
                    Trace = _trace,
                };
                var search = new GatewaySearch { LocalAddress = searchFrom, Timeout = GatewayBound, BypassCache = true };
                return await new UpnpEngine(_trace, GatewayBound).TestNatTypeAsync(options, search, bound.Token);
            }
            finally
            {
                await _lab.Controller.SetNatModeAsync(Env.DefaultNatMode, CancellationToken.None);
            }
        }
    }
}
