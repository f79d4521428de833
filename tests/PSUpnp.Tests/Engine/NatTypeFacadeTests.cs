using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Engine;
using PSUpnp.Igd;
using PSUpnp.Nat;
using PSUpnp.Stun;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Fakes;
using PSUpnp.Tests.Nat;
using PSUpnp.Tests.Stun;
using Xunit;

namespace PSUpnp.Tests.Engine
{
    /// <summary>
    /// Test-NatType through the façade: the loopback STUN server with its simulated NAT, and the fake IGD as the gateway
    /// the session remembers for the searched local address (no multicast leaves the host).
    /// </summary>
    public sealed class NatTypeFacadeTests : IDisposable
    {
        private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(30);
        private readonly FakeStunServer _stun = new FakeStunServer();
        private readonly FakeIgdServer _igd = new FakeIgdServer();
        private readonly GatewayCache _cache = new GatewayCache();
        private readonly ListTrace _trace = new ListTrace();

        public NatTypeFacadeTests()
        {
            var g = _igd.Gateway;
            Assert.True(_cache.Store(GatewayCache.KeyOf(IPAddress.Loopback), new[]
            {
                new UpnpGateway(g.FriendlyName, g.Manufacturer, g.ModelName, g.Udn, g.IgdVersion, g.ServiceType, g.ControlUrl, g.DescriptionUrl, null, g.LocalAddress, null, DateTimeOffset.UtcNow.AddMinutes(30)),
            }));
        }

        public void Dispose()
        {
            _stun.Dispose();
            _igd.Dispose();
        }

        private async Task<NatTypeResult> TestAsync(bool crossCheck)
        {
            var engine = new UpnpEngine(_trace, TimeSpan.FromSeconds(5), null, false, new DiscoverySeams { Cache = _cache });
            var work = engine.TestNatTypeAsync(NatBehaviorDiscoveryTests.Options(_stun), crossCheck, CancellationToken.None);
            Assert.Same(work, await Task.WhenAny(work, Task.Delay(HangBound)));
            var result = await work;
            Assert.Empty(result.Warnings);
            return result.Value;
        }

        [Fact]
        public async Task TheCrossCheckAsksTheGatewayTheSessionFoundForTheTestedAddress()
        {
            var result = await TestAsync(crossCheck: true);

            Assert.Equal(NatType.PortRestrictedCone, result.NatType);
            Assert.Equal(IPAddress.Parse(_igd.ExternalAddress), result.GatewayExternalAddress);
            Assert.True(_trace.Any("UPnP cross-check:"), "the engine's trace should carry the cross-check:\n" + string.Join("\n", _trace.Lines));
        }

        [Fact]
        public async Task WithoutTheCrossCheckNoGatewayIsAsked()
        {
            var result = await TestAsync(crossCheck: false);

            Assert.Equal(NatType.PortRestrictedCone, result.NatType);
            Assert.Null(result.GatewayExternalAddress);
            Assert.Empty(_igd.Calls);
        }
    }
}
