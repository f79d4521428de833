using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Net;
using PSUpnp.Ssdp;
using Xunit;

namespace PSUpnp.Tests.Discovery
{
    /// <summary>
    /// Issue 2, discovery: when the call returns (as soon as the first usable gateway is read, with a short window for
    /// a better one), which answer wins (the host's default gateway), and where the searches go (every multicast
    /// interface from its own address, the default gateway by unicast first). Over loopback with fake devices.
    /// </summary>
    public sealed class GatewayLocatorChoiceTests : IDisposable
    {
        // Far longer than the bound: a call that waited for it would fail the bound instead of passing slowly.
        private static readonly TimeSpan Forever = TimeSpan.FromMinutes(5);
        private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(20);

        private readonly List<IDisposable> owned = new List<IDisposable>();
        private readonly ListTrace trace = new ListTrace();

        public void Dispose()
        {
            foreach (var d in owned)
            {
                d.Dispose();
            }
        }

        private SsdpResponder Device(string address, string location)
        {
            var device = new SsdpResponder(address, request => new[] { SsdpResponder.Response(SsdpResponder.StOf(request), location, "uuid:" + address) });
            owned.Add(device);
            return device;
        }

        private static Task<HttpResponse> Description(Uri url) =>
            Task.FromResult(new HttpResponse(200, "OK", Array.Empty<KeyValuePair<string, string>>(), Encoding.UTF8.GetBytes(GatewayLocatorTests.Description(url.Host, "uuid:" + url.Host))));

        private GatewayLocator Locator(FakeNetwork network, IPEndPoint multicast, int unicastPort, Func<Uri, CancellationToken, Task<HttpResponse>>? fetch = null, TimeSpan? window = null) =>
            new GatewayLocator(trace, new FakeClock(), new DiscoverySeams
            {
                Network = network,
                Cache = new GatewayCache(),
                MulticastEndPoint = multicast,
                UnicastPort = unicastPort,
                Fetch = (url, timeout, _, ct) => fetch != null ? fetch(url, ct) : Description(url),
                Probe = (g, timeout, t, ct) => throw new InvalidOperationException("a single-service device must not be probed"),
                BetterAnswerWindow = window ?? new DiscoverySeams().BetterAnswerWindow,
            });

        private static async Task<T> Bounded<T>(Task<T> task)
        {
            Assert.Same(task, await Task.WhenAny(task, Task.Delay(HangBound)));
            return await task;
        }

        [Fact]
        public async Task TheFirstUsableGatewayEndsTheSearchWithoutWaitingForTheTimeout()
        {
            var device = Device("127.0.0.1", "http://127.0.0.1:5000/rootDesc.xml");
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint, unicastPort: 9);

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = Forever }, CancellationToken.None));

            Assert.Equal("127.0.0.1", Assert.Single(found).FriendlyName);
        }

        [Fact]
        public async Task TheDefaultGatewayWinsOverAnotherRouterThatAnsweredFirstAndEndsTheWaitForABetterOne()
        {
            // Another router (127.0.0.3) answers the multicast search and is read first; the host's default gateway
            // (127.0.0.2) answers the unicast search, and its description is only served once the other one is usable.
            var other = Device("127.0.0.3", "http://127.0.0.3:5000/rootDesc.xml");
            var router = Device("127.0.0.2", "http://127.0.0.2:5000/rootDesc.xml");
            var network = FakeNetwork.Loopback("127.0.0.1");
            network.Gateways.Add(IPAddress.Parse("127.0.0.2"));
            async Task<HttpResponse> Fetch(Uri url, CancellationToken ct)
            {
                while (url.Host == "127.0.0.2" && !trace.Any("usable gateway 127.0.0.3"))
                {
                    await Task.Delay(10, ct);
                }

                return await Description(url);
            }

            var locator = Locator(network, other.EndPoint, router.EndPoint.Port, Fetch, window: Forever);

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = Forever }, CancellationToken.None));

            var g = Assert.Single(found);
            Assert.Equal("127.0.0.2", g.FriendlyName);
            Assert.Equal(new Uri("http://127.0.0.2:5000/ctl/IPConn"), g.ControlUrl);
            Assert.True(trace.Any("usable gateway 127.0.0.3"), string.Join("\n", trace.Lines));
            Assert.True(trace.Any("(the default gateway)"), string.Join("\n", trace.Lines));
        }

        [Fact]
        public async Task EveryInterfaceThatCanMulticastSearchesFromItsOwnAddressAndTheDefaultGatewayIsAskedFirst()
        {
            var device = Device("127.0.0.1", "http://127.0.0.1:5000/rootDesc.xml");
            using var gatewayPort = new SsdpResponder("127.0.0.1", _ => Array.Empty<string>());
            var network = new FakeNetwork();
            network.Interfaces.Add(new LocalInterface("eth0", IPAddress.Parse("127.0.0.1"), IPAddress.Parse("255.0.0.0"), supportsMulticast: true));
            network.Interfaces.Add(new LocalInterface("eth1", IPAddress.Parse("127.0.0.2"), IPAddress.Parse("255.0.0.0"), supportsMulticast: true));
            network.Interfaces.Add(new LocalInterface("tun0", IPAddress.Parse("127.0.0.4"), IPAddress.Parse("255.255.255.255"), supportsMulticast: false));
            network.Gateways.Add(IPAddress.Parse("127.0.0.1"));
            var locator = Locator(network, device.EndPoint, gatewayPort.EndPoint.Port);

            await Bounded(locator.FindAsync(new GatewaySearch { All = true, Timeout = TimeSpan.FromMilliseconds(500) }, CancellationToken.None));

            var from = device.Requests.Select(r => r.From.Address.ToString()).Distinct().OrderBy(a => a, StringComparer.Ordinal);
            Assert.Equal(new[] { "127.0.0.1", "127.0.0.2" }, from);
            Assert.DoesNotContain(trace.Lines, l => l.Contains("from 127.0.0.4", StringComparison.Ordinal));

            // On the interface whose link holds the default gateway, the unicast search leaves before the multicast one.
            var sends = trace.Lines.Where(l => l.StartsWith("SSDP: M-SEARCH ", StringComparison.Ordinal) && l.Contains(" from 127.0.0.1 ", StringComparison.Ordinal)).ToList();
            var unicast = sends.FindIndex(l => l.EndsWith(" to " + gatewayPort.EndPoint, StringComparison.Ordinal));
            var multicast = sends.FindIndex(l => l.EndsWith(" to " + device.EndPoint, StringComparison.Ordinal));
            Assert.True(unicast >= 0 && multicast >= 0, string.Join("\n", sends));
            Assert.True(unicast < multicast, string.Join("\n", sends));
            Assert.True(gatewayPort.Requests.Count >= SearchTarget.Gateway.Count);
        }

        [Fact]
        public async Task ALocationWithAHostNameIsFollowedWhenTheNameResolvesOnTheLink()
        {
            // localhost resolves to 127.0.0.1 and, on most hosts, also to ::1: the IPv6 address, which discovery never
            // connects to (IGD control is IPv4), must not make the IPv4 one look off the link.
            var device = Device("127.0.0.1", "http://localhost:5000/rootDesc.xml");
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint, unicastPort: 9);

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None));

            Assert.Equal(new Uri("http://localhost:5000/ctl/IPConn"), Assert.Single(found).ControlUrl);
        }

        [Fact]
        public async Task ManySearchesAtOnceShareTheCacheAndAllFindTheGateway()
        {
            // ForEach-Object -Parallel runs a cmdlet per thread: their discoveries meet in the session cache.
            var device = Device("127.0.0.1", "http://127.0.0.1:5000/rootDesc.xml");
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint, unicastPort: 9);

            var all = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None))));
            var results = await Bounded(all);

            Assert.Equal(8, results.Length);
            Assert.All(results, r => Assert.Equal(new Uri("http://127.0.0.1:5000/ctl/IPConn"), Assert.Single(r).ControlUrl));
        }

        [Fact]
        public async Task TheDescriptionReadIsCappedInSize()
        {
            using var http = new Fakes.LoopbackHttpServer(async (_, stream, ct) =>
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: " + (HttpLimits.Description.MaxBodyBytes + 1) + "\r\n\r\n"), ct));
            var locator = new GatewayLocator(trace, new FakeClock(), new DiscoverySeams { Network = FakeNetwork.Loopback("127.0.0.1"), Cache = new GatewayCache() });

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() => Bounded(locator.FindAsync(new GatewaySearch { Location = http.Url("/rootDesc.xml"), Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None)));

            Assert.Equal("UpnpResponseTooLarge", error.ErrorId);
        }

        [Theory]
        [InlineData("127.0.0.1,::1", true)]
        [InlineData("::ffff:192.168.1.1", true)]
        [InlineData("192.168.1.1,fd00::1", true)]
        [InlineData("192.168.1.1,10.0.0.1", false)]
        [InlineData("10.0.0.1,::1", false)]
        [InlineData("fd00::1", false)]
        [InlineData("", false)]
        public void AHostNameIsFollowedOnlyWhenEveryIPv4AddressItResolvesToIsTheSenderOrOnTheLink(string resolved, bool followed)
        {
            var hosts = resolved.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(IPAddress.Parse).ToList();
            var lan = new LocalInterface("eth0", IPAddress.Parse("192.168.1.10"), IPAddress.Parse("255.255.255.0"), true);
            var loopback = new LocalInterface("lo", IPAddress.Parse("127.0.0.1"), IPAddress.Parse("255.0.0.0"), true);
            var receivedOn = hosts.Any(h => h.ToString().StartsWith("127.", StringComparison.Ordinal)) ? loopback : lan;

            Assert.Equal(followed, DiscoverySession.MayFollow(hosts, IPAddress.Parse("192.168.1.1"), receivedOn));
        }

        [Fact]
        public void EachSearchSocketIsBoundToItsInterfaceWithTheMulticastTtlOfUda11()
        {
            var first = new LocalInterface("eth0", IPAddress.Parse("127.0.0.1"), IPAddress.Parse("255.0.0.0"), supportsMulticast: true);
            var second = new LocalInterface("eth1", IPAddress.Parse("127.0.0.2"), IPAddress.Parse("255.0.0.0"), supportsMulticast: true);
            using var searcher = new SsdpSearcher(
                new[] { new SearchSource(first, true, Array.Empty<IPEndPoint>()), new SearchSource(second, true, Array.Empty<IPEndPoint>()) },
                SearchTarget.Gateway,
                MSearchEncoder.MinMx,
                new IPEndPoint(IPAddress.Loopback, 9),
                trace,
                new FakeClock(),
                _ => { });
            searcher.Start();

            Assert.Equal(2, searcher.Sockets.Count);
            Assert.Equal(new[] { "127.0.0.1", "127.0.0.2" }, searcher.Sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Address.ToString()));
            Assert.All(searcher.Sockets, s => Assert.Equal(
                MSearchEncoder.MulticastTimeToLive,
                (int)s.GetSocketOption(System.Net.Sockets.SocketOptionLevel.IP, System.Net.Sockets.SocketOptionName.MulticastTimeToLive)!));
            Assert.Equal(2, MSearchEncoder.MulticastTimeToLive);
        }
    }
}
