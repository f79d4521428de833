using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Engine;
using PSUpnp.Igd;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Engine
{
    /// <summary>
    /// The façade every caller goes through (cmdlets, bench driver, lab tests), against the fake IGD. Discovery answers
    /// from a session cache of the test's own, filled as a discovery would fill it, so no multicast leaves the host.
    /// </summary>
    public sealed class UpnpEngineTests : IDisposable
    {
        private readonly FakeIgdServer _server = new FakeIgdServer();
        private readonly GatewayCache _cache = new GatewayCache();

        public void Dispose() => _server.Dispose();

        private UpnpEngine Engine(TimeSpan? timeout = null) =>
            new UpnpEngine(null, timeout ?? TimeSpan.FromSeconds(5), null, false, new DiscoverySeams { Cache = _cache });

        /// <summary>What a discovery of this gateway leaves in the session cache: the gateway, until its advertisement expires.</summary>
        private static UpnpGateway Remember(GatewayCache cache, UpnpGateway g)
        {
            var discovered = new UpnpGateway(g.FriendlyName, g.Manufacturer, g.ModelName, g.Udn, g.IgdVersion, g.ServiceType, g.ControlUrl, g.DescriptionUrl, null, g.LocalAddress, null, DateTimeOffset.UtcNow.AddMinutes(30));
            Assert.True(cache.Store(GatewayCache.KeyOf(null), new[] { discovered }));
            return discovered;
        }

        [Fact]
        public async Task TheDefaultsAreAppliedOnceAndWhatShouldProcessShowsIsWhatIsSent()
        {
            var mapping = UpnpEngine.PrepareAddition(new PortMappingRequest { ExternalPort = 8080 }, _server.Gateway);
            Assert.Equal("TCP 8080 -> 192.168.1.10:8080 on Fake IGD (127.0.0.1)", mapping.ToString());

            var result = await Engine().AddPortMappingAsync(mapping, CancellationToken.None);

            var add = Assert.Single(_server.Calls, c => c.Action == "AddPortMapping");
            Assert.Equal(FakeIgdServer.LocalAddress.ToString(), add["NewInternalClient"]);
            Assert.Equal(8080, add.Int("NewInternalPort"));
            Assert.Equal(FakeIgdServer.LocalAddress, result.Value.Mapping.InternalClient);
            Assert.Equal(8080, result.Value.Mapping.InternalPort);
        }

        [Fact]
        public void ALeaseTheRouterCannotBeAskedForIsOneClearErrorBeforeAnyRequest()
        {
            var lease = TimeSpan.FromTicks(3600);
            var error = Assert.Throws<UpnpException>(() => UpnpEngine.PrepareAddition(new PortMappingRequest { ExternalPort = 8080, LeaseDuration = lease }, _server.Gateway));

            // The same words as the cmdlets' binding check: the one rule, stated once.
            Assert.Equal("UpnpInvalidArgument", error.ErrorId);
            Assert.Equal(LeaseDurationRule.Problem(lease), error.Message);
            Assert.Equal("LeaseDuration", error.Target);
            Assert.Empty(_server.Calls);
        }

        [Fact]
        public async Task ALeaseTooLongForTheRouterIsRefusedByTheClientTooWithTheSameWords()
        {
            var lease = LeaseDurationRule.Maximum + TimeSpan.FromSeconds(1);
            var client = new IgdClient(_server.Gateway);
            var error = await Assert.ThrowsAsync<UpnpException>(() => client.AddPortMappingAsync(new PortMappingRequest { ExternalPort = 8080, LeaseDuration = lease }, CancellationToken.None));

            Assert.Equal(LeaseDurationRule.Problem(lease), error.Message);
            Assert.Empty(_server.Calls);
        }

        [Fact]
        public async Task AGatewayThatIsGoneIsForgottenByTheSessionAndTheRunSoTheNextCallFindsTheNewOne()
        {
            Remember(_cache, _server.Gateway);
            var engine = Engine();
            var gateway = (await engine.ResolveAsync(null, CancellationToken.None)).Value;
            Assert.Equal(_server.Gateway.ControlUrl, gateway.ControlUrl);

            _server.Dispose();
            await Assert.ThrowsAsync<UpnpConnectionException>(() => engine.GetExternalAddressAsync(gateway, CancellationToken.None));
            Assert.Equal(0, _cache.Count);

            // The replacement router, as the next discovery finds it: this run asks it, not the one that is gone.
            using var replacement = new FakeIgdServer();
            Remember(_cache, replacement.Gateway);
            var next = (await engine.ResolveAsync(null, CancellationToken.None)).Value;
            Assert.Equal(replacement.Gateway.ControlUrl, next.ControlUrl);
            Assert.Equal("203.0.113.7", (await engine.GetExternalAddressAsync(next, CancellationToken.None)).Value.ExternalAddress!.ToString());
        }

        [Fact]
        public async Task AGatewayThatAnswersInTimeWithARefusalStaysRemembered()
        {
            var remembered = Remember(_cache, _server.Gateway);
            _server.Script = call => call.Action == "GetExternalIPAddress" ? FakeReply.Fault(501) : null;
            var engine = Engine();

            await Assert.ThrowsAsync<UpnpFaultException>(() => engine.GetExternalAddressAsync(remembered, CancellationToken.None));

            Assert.Equal(1, _cache.Count);
            Assert.Same(remembered, (await engine.ResolveAsync(null, CancellationToken.None)).Value);
        }

        [Fact]
        public async Task AGatewaySilentBeyondTheOneTimeoutIsATimeoutAndIsForgotten()
        {
            var remembered = Remember(_cache, _server.Gateway);
            _server.Script = _ => FakeReply.Slow(TimeSpan.FromSeconds(10));

            await Assert.ThrowsAsync<UpnpTimeoutException>(() => Engine(TimeSpan.FromMilliseconds(300)).GetExternalAddressAsync(remembered, CancellationToken.None));

            Assert.Equal(0, _cache.Count);
        }

        [Fact]
        public async Task WhatTheRouterChangedInAnAdditionComesBackAsWarningsWithTheResult()
        {
            _server.OnlyPermanentLeases = true;
            var mapping = UpnpEngine.PrepareAddition(new PortMappingRequest { ExternalPort = 8080 }, _server.Gateway);

            var result = await Engine().AddPortMappingAsync(mapping, CancellationToken.None);

            Assert.Equal(TimeSpan.Zero, result.Value.Mapping.LeaseDuration);
            Assert.NotEmpty(result.Warnings);
            Assert.Equal(result.Value.Warnings, result.Warnings);
        }

        [Fact]
        public async Task AnExternalAddressThatIsItselfPrivateComesBackWithTheDoubleNATWarning()
        {
            _server.ExternalAddress = "10.0.0.5";

            var result = await Engine().GetExternalAddressAsync(_server.Gateway, CancellationToken.None);

            Assert.Equal(IPAddress.Parse("10.0.0.5"), result.Value.ExternalAddress);
            Assert.Equal(new[] { result.Value.DoubleNatWarning()! }, result.Warnings);
        }

        [Fact]
        public async Task APublicExternalAddressComesBackWithoutWarnings()
        {
            var result = await Engine().GetExternalAddressAsync(_server.Gateway, CancellationToken.None);

            Assert.Equal(IPAddress.Parse("203.0.113.7"), result.Value.ExternalAddress);
            Assert.Empty(result.Warnings);
        }

        [Fact]
        public async Task TheListIsTheTableWithTheFilterApplied()
        {
            _server.Add(new FakeMapping(string.Empty, 8080, "TCP", 8080, "192.168.1.10", true, "web", 0));
            _server.Add(new FakeMapping(string.Empty, 5000, "UDP", 5000, "192.168.1.10", true, "game", 0));

            var all = await Engine().GetPortMappingsAsync(_server.Gateway, null, null, CancellationToken.None);
            var udp = await Engine().GetPortMappingsAsync(_server.Gateway, new PortMappingFilter { Protocol = PortMappingProtocol.UDP }, null, CancellationToken.None);

            Assert.Equal(2, all.Value.Count);
            Assert.Equal(5000, Assert.Single(udp.Value).ExternalPort);
        }

        [Fact]
        public async Task RemovingReturnsTheMappingAsTheRouterHeldIt()
        {
            _server.Add(new FakeMapping(string.Empty, 8080, "TCP", 9000, "192.168.1.10", true, "web", 0));

            var removed = await Engine().RemovePortMappingAsync(_server.Gateway, null, 8080, PortMappingProtocol.TCP, CancellationToken.None);

            Assert.Equal(9000, removed.Value!.InternalPort);
            Assert.Empty(_server.Table);
        }

        [Fact]
        public void ATimeoutThatIsNotPositiveIsRefused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new UpnpEngine(null, TimeSpan.Zero));
        }
    }
}
