using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using PSUpnp.Igd;
using Xunit;

namespace PSUpnp.Tests.Discovery
{
    public class GatewayCacheTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

        internal static UpnpGateway Gateway(string control = "http://192.168.1.1:5000/ctl/IPConn", DateTimeOffset? expiresAt = null, string serviceType = "urn:schemas-upnp-org:service:WANIPConnection:1") =>
            new UpnpGateway("R", "M", "X", "uuid:r", 1, serviceType, new Uri(control), new Uri("http://192.168.1.1:5000/rootDesc.xml"), null, IPAddress.Parse("192.168.1.10"), null, expiresAt);

        [Fact]
        public void EntryIsServedUntilItsExpiryAndNotAfter()
        {
            var cache = new GatewayCache();
            var g = Gateway(expiresAt: Now.AddSeconds(100));

            Assert.True(cache.Store("*", new[] { g }));

            Assert.True(cache.TryGet("*", Now.AddSeconds(99), out var hit));
            Assert.Same(g, Assert.Single(hit));
            Assert.False(cache.TryGet("*", Now.AddSeconds(100), out var miss));
            Assert.Empty(miss);
            Assert.Equal(0, cache.Count);
        }

        [Fact]
        public void EntriesAreKeyedByTheSearch()
        {
            var cache = new GatewayCache();
            cache.Store(GatewayCache.KeyOf(IPAddress.Parse("192.168.1.10")), new[] { Gateway(expiresAt: Now.AddHours(1)) });

            Assert.False(cache.TryGet(GatewayCache.KeyOf(null), Now, out _));
            Assert.False(cache.TryGet(GatewayCache.KeyOf(IPAddress.Parse("10.0.0.2")), Now, out _));
            Assert.True(cache.TryGet(GatewayCache.KeyOf(IPAddress.Parse("192.168.1.10")), Now, out _));
        }

        [Fact]
        public void AnswerWithoutMaxAgeIsNotKept()
        {
            var cache = new GatewayCache();

            Assert.False(cache.Store("*", new[] { Gateway(expiresAt: null) }));
            Assert.False(cache.TryGet("*", Now, out _));
        }

        [Fact]
        public void EvictRemovesEveryEntryHoldingTheGateway()
        {
            var cache = new GatewayCache();
            cache.Store("*", new[] { Gateway(expiresAt: Now.AddHours(1)) });
            cache.Store("192.168.1.10", new[] { Gateway(expiresAt: Now.AddHours(1)) });
            cache.Store("10.0.0.2", new[] { Gateway("http://10.0.0.1/ctl", Now.AddHours(1)) });

            Assert.Equal(2, cache.Evict(Gateway()));

            Assert.Equal(1, cache.Count);
            Assert.True(cache.TryGet("10.0.0.2", Now, out _));
        }

        [Fact]
        public void ClearForgetsEverything()
        {
            var cache = new GatewayCache();
            cache.Store("*", new[] { Gateway(expiresAt: Now.AddHours(1)) });

            cache.Clear();

            Assert.Equal(0, cache.Count);
        }

        [Fact]
        public async Task ConcurrentUseNeitherThrowsNorLosesEntries()
        {
            var cache = new GatewayCache();
            var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < 2000; i++)
                {
                    var key = ((t * 2000) + i) % 50 + "k";
                    var g = Gateway("http://192.168.1.1/" + key, Now.AddHours(1));
                    cache.Store(key, new[] { g });
                    cache.TryGet(key, Now, out _);
                    if (i % 7 == 0)
                    {
                        cache.Evict(g);
                    }
                }
            })).ToArray();

            await Task.WhenAll(tasks);

            Assert.InRange(cache.Count, 0, 50);
        }
    }
}
