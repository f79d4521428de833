using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Lab;
using PSUpnp.Tests.Lab;
using Xunit;

namespace PSUpnp.Tests.Discovery
{
    /// <summary>Discovery against the lab's real miniupnpd, from the lab's LAN namespace.</summary>
    [Collection(LabCollection.Name)]
    [Trait("Category", "Lab")]
    public sealed class DiscoveryLabTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

        private readonly LabEnvironment env;
        private readonly LabController lab;
        private readonly ListTrace trace = new ListTrace();

        public DiscoveryLabTests(LabFixture fixture)
        {
            env = fixture.Environment;
            lab = fixture.Controller;
        }

        private Uri ControlUrl => new Uri("http://" + env.RouterLanAddress + ":" + env.MiniupnpdHttpPort + "/ctl/IPConn");

        private static async Task<T> Bounded<T>(Task<T> task)
        {
            Assert.Same(task, await Task.WhenAny(task, Task.Delay(Bound)));
            return await task;
        }

        [Fact]
        public async Task MulticastAndUnicastDiscoveryFindsTheRoutersConnectionService()
        {
            var found = await Bounded(new GatewayLocator(trace).FindAsync(new GatewaySearch { BypassCache = true }, CancellationToken.None));

            var g = Assert.Single(found);
            Assert.Equal(ControlUrl, g.ControlUrl);
            Assert.Equal("WANIPConnection", g.ServiceName);
            Assert.Equal(env.RootDescriptionUrl, g.DescriptionUrl);
            Assert.Equal(env.LanAddress, g.LocalAddress);
            Assert.Equal("uuid:" + env.MiniupnpdUuid, g.Udn);
            Assert.Contains("MiniUPnPd", g.Server, StringComparison.Ordinal);
            Assert.NotNull(g.ExpiresAt);
            Assert.True(g.ExpiresAt > DateTimeOffset.UtcNow);
            Assert.NotEmpty(g.FriendlyName);
            var lines = string.Join("\n", trace.Lines);
            Assert.True(trace.Any("from " + env.LanAddress + " to " + env.RouterLanAddress + ":1900"), "no unicast M-SEARCH to the default gateway:\n" + lines);
            Assert.True(trace.Any("from " + env.LanAddress + " to 239.255.255.250:1900"), "no multicast M-SEARCH:\n" + lines);
            Assert.True(trace.Any("answer from " + env.RouterLanAddress + ":1900"), "no SSDP answer from the router:\n" + lines);
        }

        [Fact]
        public async Task AllCollapsesTheRoutersManyAnswersIntoOneGateway()
        {
            var found = await Bounded(new GatewayLocator(trace).FindAsync(new GatewaySearch { All = true, Timeout = TimeSpan.FromSeconds(1) }, CancellationToken.None));

            Assert.Equal(ControlUrl, Assert.Single(found).ControlUrl);
            Assert.True(trace.Lines.Count(l => l.StartsWith("SSDP: answer from", StringComparison.Ordinal)) > 1, "the router should answer several search targets");
            Assert.Equal(1, trace.Lines.Count(l => l.StartsWith("Description: GET", StringComparison.Ordinal)));
        }

        [Fact]
        public async Task LocationSkipsDiscoveryAndUsesTheInterfaceThatRoutesToTheRouter()
        {
            var found = await Bounded(new GatewayLocator(trace).FindAsync(new GatewaySearch { Location = env.RootDescriptionUrl }, CancellationToken.None));

            var g = Assert.Single(found);
            Assert.Equal(ControlUrl, g.ControlUrl);
            Assert.Equal(env.LanAddress, g.LocalAddress);
            Assert.Null(g.ExpiresAt);
            Assert.False(trace.Any("M-SEARCH"), "a Location search must send no M-SEARCH");
        }

        [Fact]
        public async Task LocalAddressSearchesFromThatAddressOnly()
        {
            var found = await Bounded(new GatewayLocator(trace).FindAsync(new GatewaySearch { LocalAddress = env.LanAddress, BypassCache = true }, CancellationToken.None));

            Assert.Equal(env.LanAddress, Assert.Single(found).LocalAddress);
            var sends = trace.Lines.Where(l => l.StartsWith("SSDP: M-SEARCH ", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(sends);
            Assert.All(sends, l => Assert.Contains(" from " + env.LanAddress + " to ", l, StringComparison.Ordinal));
        }

        [Fact]
        public async Task SilentNetworkEndsInGatewayNotFoundWithinTheTimeout()
        {
            await lab.StopMiniupnpdAsync();
            try
            {
                var e = await Assert.ThrowsAnyAsync<UpnpException>(() => Bounded(new GatewayLocator(trace).FindAsync(
                    new GatewaySearch { Timeout = TimeSpan.FromSeconds(1), BypassCache = true },
                    CancellationToken.None)));

                Assert.Equal("UpnpGatewayNotFound", e.ErrorId);
                Assert.Contains("-Location", e.RecommendedAction, StringComparison.Ordinal);
                Assert.True(trace.Any("sending the search again"), "the search should have been resent:\n" + string.Join("\n", trace.Lines));
            }
            finally
            {
                await lab.StartMiniupnpdAsync();
            }
        }

        [Fact]
        public async Task LocationOnAClosedPortIsAConnectionErrorWithinTheBound()
        {
            var closed = new Uri("http://" + env.RouterLanAddress + ":1/rootDesc.xml");

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => Bounded(new GatewayLocator(trace).FindAsync(
                new GatewaySearch { Location = closed, Timeout = TimeSpan.FromSeconds(2) },
                CancellationToken.None)));

            Assert.Contains(e.Category, new[] { UpnpErrorCategory.ConnectionError, UpnpErrorCategory.OperationTimeout });
        }

        [Fact]
        public async Task AnAllSearchEndsWhenTheRoutersAnswerWindowHasClosedNotAtItsTimeout()
        {
            // The bound is far below the 10-minute timeout: only the closed MX window can have ended the search.
            var found = await Bounded(new GatewayLocator(trace).FindAsync(new GatewaySearch { All = true, Timeout = TimeSpan.FromMinutes(10) }, CancellationToken.None));

            Assert.Equal(ControlUrl, Assert.Single(found).ControlUrl);
            Assert.True(trace.Any("MX window has closed"), string.Join("\n", trace.Lines));
        }

        [Fact]
        public async Task CancellationStopsAnAllSearchAtOnce()
        {
            using var cts = new CancellationTokenSource();
            var search = new GatewayLocator(trace).FindAsync(new GatewaySearch { All = true, Timeout = TimeSpan.FromMinutes(5) }, cts.Token);
            cts.CancelAfter(TimeSpan.FromMilliseconds(300));

            // The bound is far below the 5-minute search: only the token can have ended it.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded(search));
        }
    }
}
