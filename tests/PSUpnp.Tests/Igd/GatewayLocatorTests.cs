using System;
using System.Collections.Concurrent;
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
    /// <summary>GatewayLocator end to end over loopback: a fake SSDP device on an ephemeral port, descriptions from a fake fetch.</summary>
    public sealed class GatewayLocatorTests : IDisposable
    {
        private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(20);

        private readonly List<IDisposable> owned = new List<IDisposable>();
        private readonly ConcurrentQueue<Uri> fetched = new ConcurrentQueue<Uri>();
        private readonly ListTrace trace = new ListTrace();
        private readonly FakeClock clock = new FakeClock();
        private readonly GatewayCache cache = new GatewayCache();

        internal static string Description(string friendlyName = "Lab router", string udn = "uuid:lab-router") =>
            "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><specVersion><major>1</major><minor>1</minor></specVersion>" +
            "<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:2</deviceType><friendlyName>" + friendlyName + "</friendlyName>" +
            "<manufacturer>MiniUPnP</manufacturer><modelName>MiniUPnPd</modelName><UDN>" + udn + "</UDN>" +
            "<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:2</deviceType><deviceList><device>" +
            "<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:2</deviceType><serviceList><service>" +
            "<serviceType>urn:schemas-upnp-org:service:WANIPConnection:2</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>" +
            "<controlURL>/ctl/IPConn</controlURL></service></serviceList></device></deviceList></device></deviceList>" +
            "<presentationURL>http://127.0.0.1/</presentationURL></device></root>";

        public void Dispose()
        {
            foreach (var d in owned)
            {
                d.Dispose();
            }
        }

        private SsdpResponder Responder(string address, Func<string, IReadOnlyList<string>> answer, int ignoreFirst = 0, IPAddress? answerOnlyFrom = null)
        {
            var r = new SsdpResponder(address, answer, ignoreFirst, answerOnlyFrom);
            owned.Add(r);
            return r;
        }

        private static Func<string, IReadOnlyList<string>> AnswerIgd(string location, string usn = "uuid:lab-router", int? maxAge = 120) =>
            request => SsdpResponder.StOf(request) == SearchTarget.InternetGatewayDevice2 || SsdpResponder.StOf(request) == SearchTarget.WanIPConnection2
                ? new[] { SsdpResponder.Response(SsdpResponder.StOf(request), location, usn, maxAge) }
                : Array.Empty<string>();

        private GatewayLocator Locator(FakeNetwork network, IPEndPoint multicast, Func<Uri, byte[]>? body = null, int unicastPort = 1)
        {
            var seams = new DiscoverySeams
            {
                Network = network,
                Cache = cache,
                MulticastEndPoint = multicast,
                UnicastPort = unicastPort,
                Fetch = (url, timeout, _, ct) =>
                {
                    fetched.Enqueue(url);
                    var bytes = body != null ? body(url) : Encoding.UTF8.GetBytes(Description());
                    return Task.FromResult(new HttpResponse(200, "OK", Array.Empty<KeyValuePair<string, string>>(), bytes));
                },
                Probe = (g, timeout, t, ct) => throw new InvalidOperationException("a single-service device must not be probed"),
            };
            return new GatewayLocator(trace, clock, seams);
        }

        private static async Task<T> Bounded<T>(Task<T> task)
        {
            Assert.Same(task, await Task.WhenAny(task, Task.Delay(HangBound)));
            return await task;
        }

        [Fact]
        public async Task MulticastAnswerYieldsTheGatewayWithEveryField()
        {
            var device = Responder("127.0.0.1", AnswerIgd("http://127.0.0.1:5000/rootDesc.xml"));
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint);

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None));

            var g = Assert.Single(found);
            Assert.Equal("Lab router", g.FriendlyName);
            Assert.Equal("MiniUPnP", g.Manufacturer);
            Assert.Equal("MiniUPnPd", g.ModelName);
            Assert.Equal("uuid:lab-router", g.Udn);
            Assert.Equal(2, g.IgdVersion);
            Assert.Equal("urn:schemas-upnp-org:service:WANIPConnection:2", g.ServiceType);
            Assert.Equal(new Uri("http://127.0.0.1:5000/ctl/IPConn"), g.ControlUrl);
            Assert.Equal(new Uri("http://127.0.0.1:5000/rootDesc.xml"), g.DescriptionUrl);
            Assert.Equal(new Uri("http://127.0.0.1/"), g.PresentationUrl);
            Assert.Equal(IPAddress.Loopback, g.LocalAddress);
            Assert.Equal("Debian/12 UPnP/1.1 MiniUPnPd/2.3.1", g.Server);
            Assert.Equal(clock.UtcNow.AddSeconds(120), g.ExpiresAt);
        }

        [Fact]
        public async Task MulticastSearchAsksForEveryGatewayTargetWithMx()
        {
            var device = Responder("127.0.0.1", AnswerIgd("http://127.0.0.1:5000/rootDesc.xml"));
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint);

            await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None));

            var requests = device.Requests.ToArray();
            Assert.True(requests.Length >= SearchTarget.Gateway.Count, "requests: " + requests.Length);
            Assert.All(requests, r => Assert.StartsWith("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n", r.Text, StringComparison.Ordinal));
            Assert.Equal(SearchTarget.Gateway.OrderBy(t => t), requests.Take(SearchTarget.Gateway.Count).Select(r => SsdpResponder.StOf(r.Text)).OrderBy(t => t));
        }

        [Fact]
        public async Task DefaultGatewayIsAskedByUnicastWithoutMx()
        {
            var device = Responder("127.0.0.1", AnswerIgd("http://127.0.0.1:5000/rootDesc.xml"));
            var network = new FakeNetwork();
            network.Interfaces.Add(new LocalInterface("eth-test", IPAddress.Loopback, IPAddress.Parse("255.0.0.0"), supportsMulticast: false));
            network.Gateways.Add(IPAddress.Loopback);
            var silentMulticast = new IPEndPoint(IPAddress.Loopback, 9);
            var locator = Locator(network, silentMulticast, unicastPort: device.EndPoint.Port);

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None));

            Assert.Single(found);
            var requests = device.Requests.ToArray();
            Assert.NotEmpty(requests);
            Assert.All(requests, r => Assert.Contains("\r\nHOST: 127.0.0.1:" + device.EndPoint.Port + "\r\n", r.Text, StringComparison.Ordinal));
            Assert.All(requests, r => Assert.DoesNotContain("MX:", r.Text, StringComparison.Ordinal));
        }

        [Fact]
        public async Task DuplicateAnswersCollapseIntoOneGatewayAndOneDescriptionRead()
        {
            var location = "http://127.0.0.1:5000/rootDesc.xml";
            var device = Responder("127.0.0.1", request => Enumerable.Repeat(SsdpResponder.Response(SsdpResponder.StOf(request), location), 3).ToArray());
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint);

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(1), All = true }, CancellationToken.None));

            Assert.Single(found);
            Assert.Single(fetched);
        }

        [Fact]
        public async Task AllReturnsEveryDistinctGateway()
        {
            var device = Responder("127.0.0.1", request => new[]
            {
                SsdpResponder.Response(SsdpResponder.StOf(request), "http://127.0.0.1:5000/a.xml", "uuid:a"),
                SsdpResponder.Response(SsdpResponder.StOf(request), "http://127.0.0.1:5000/b.xml", "uuid:b"),
            });
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint, url => Encoding.UTF8.GetBytes(Description(url.AbsolutePath, "uuid:" + url.AbsolutePath)));

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromMilliseconds(800), All = true }, CancellationToken.None));

            Assert.Equal(2, found.Count);
            Assert.Equal(new[] { "/a.xml", "/b.xml" }, found.Select(g => g.FriendlyName).OrderBy(n => n));
        }

        [Fact]
        public async Task MalformedDatagramsAreTracedAndSkipped()
        {
            var device = Responder("127.0.0.1", request => new[]
            {
                "HTTP/1.1 200 OK\r\nST: " + SsdpResponder.StOf(request) + "\r\n\r\n",
                "garbage",
                SsdpResponder.Response(SsdpResponder.StOf(request), "http://127.0.0.1:5000/rootDesc.xml"),
            });
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint);

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None));

            Assert.Single(found);
            Assert.True(trace.Any("skipped a datagram"), string.Join("\n", trace.Lines));
            Assert.True(trace.Any("LOCATION header is missing"), string.Join("\n", trace.Lines));
        }

        [Fact]
        public async Task ALostFirstRoundIsSurvivedByTheResend()
        {
            var device = Responder("127.0.0.1", AnswerIgd("http://127.0.0.1:5000/rootDesc.xml"), ignoreFirst: SearchTarget.Gateway.Count);
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint);

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None));

            Assert.Single(found);
            Assert.True(device.Requests.Count >= 2 * SearchTarget.Gateway.Count);
            Assert.True(trace.Any("sending the search again"));
        }

        [Fact]
        public async Task LocationOffTheLinkIsNotFollowed()
        {
            var device = Responder("127.0.0.1", AnswerIgd("http://10.66.0.1:5000/rootDesc.xml"));
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint);

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromMilliseconds(600) }, CancellationToken.None)));

            Assert.Equal("UpnpGatewayNotFound", e.ErrorId);
            var inner = Assert.IsType<UpnpException>(e.InnerException);
            Assert.Equal("UpnpLocationNotFollowed", inner.ErrorId);
            Assert.Empty(fetched);
            Assert.True(trace.Any("was not followed"), string.Join("\n", trace.Lines));
        }

        [Fact]
        public async Task LocationOnTheSendersLinkIsFollowedEvenIfNotTheSender()
        {
            var device = Responder("127.0.0.1", AnswerIgd("http://127.0.0.9:5000/rootDesc.xml"));
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint);

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None));

            Assert.Equal(new Uri("http://127.0.0.9:5000/ctl/IPConn"), Assert.Single(found).ControlUrl);
        }

        [Fact]
        public async Task SilenceEndsInGatewayNotFoundWithAdvice()
        {
            var device = Responder("127.0.0.1", request => Array.Empty<string>());
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint);

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromMilliseconds(300) }, CancellationToken.None)));

            Assert.Equal("UpnpGatewayNotFound", e.ErrorId);
            Assert.Equal(UpnpErrorCategory.ObjectNotFound, e.Category);
            Assert.Contains("UPnP", e.RecommendedAction, StringComparison.Ordinal);
            Assert.Contains("1900", e.RecommendedAction, StringComparison.Ordinal);
            Assert.Contains("-Location", e.RecommendedAction, StringComparison.Ordinal);
            Assert.DoesNotContain(' ', e.ErrorId);
        }

        [Fact]
        public async Task CancellationStopsTheSearchAtOnce()
        {
            var device = Responder("127.0.0.1", request => Array.Empty<string>());
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint);
            using var cts = new CancellationTokenSource();

            var search = locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromMinutes(5) }, cts.Token);
            while (device.Requests.IsEmpty)
            {
                await Task.Delay(10);
            }

            cts.Cancel();

            // The bound is far below the 5-minute search timeout: only the token can have ended the call.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded(search));
        }

        [Fact]
        public async Task LocalAddressLimitsTheSearchToThatInterface()
        {
            var device = Responder("127.0.0.1", AnswerIgd("http://127.0.0.1:5000/rootDesc.xml"));
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1", "127.0.0.2"), device.EndPoint);

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10), LocalAddress = IPAddress.Parse("127.0.0.2") }, CancellationToken.None));

            Assert.Equal(IPAddress.Parse("127.0.0.2"), Assert.Single(found).LocalAddress);
            Assert.NotEmpty(device.Requests);
            Assert.All(device.Requests, r => Assert.Equal(IPAddress.Parse("127.0.0.2"), r.From.Address));
        }

        [Fact]
        public async Task AnswerReceivedByAnOffLinkAddressIsCreditedToTheAddressOnTheDevicesLink()
        {
            // The device answers only the search sent from 127.0.0.2/32, a host route that does not reach it.
            var network = new FakeNetwork();
            network.Interfaces.Add(new LocalInterface("lo", IPAddress.Parse("127.0.0.1"), IPAddress.Parse("255.0.0.0"), true));
            network.Interfaces.Add(new LocalInterface("lo", IPAddress.Parse("127.0.0.2"), IPAddress.Parse("255.255.255.255"), true));
            var device = Responder("127.0.0.1", AnswerIgd("http://127.0.0.1:5000/rootDesc.xml"), answerOnlyFrom: IPAddress.Parse("127.0.0.2"));
            var locator = Locator(network, device.EndPoint);

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None));

            Assert.Equal(IPAddress.Parse("127.0.0.1"), Assert.Single(found).LocalAddress);
        }

        [Fact]
        public async Task UnknownLocalAddressIsAnArgumentError()
        {
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), new IPEndPoint(IPAddress.Loopback, 9));

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => locator.FindAsync(new GatewaySearch { LocalAddress = IPAddress.Parse("192.0.2.77") }, CancellationToken.None));

            Assert.Equal("UpnpLocalAddressNotFound", e.ErrorId);
            Assert.Equal(UpnpErrorCategory.InvalidArgument, e.Category);
        }

        [Fact]
        public async Task NoInterfaceAtAllIsGatewayNotFound()
        {
            var locator = Locator(new FakeNetwork(), new IPEndPoint(IPAddress.Loopback, 9));

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => locator.FindAsync(new GatewaySearch(), CancellationToken.None));

            Assert.Equal("UpnpGatewayNotFound", e.ErrorId);
        }

        [Fact]
        public async Task LocationSkipsDiscoveryAndIsAlwaysHonoured()
        {
            var network = FakeNetwork.Loopback("127.0.0.1");
            network.RouteSource = IPAddress.Parse("192.0.2.10");
            var locator = Locator(network, new IPEndPoint(IPAddress.Loopback, 9));
            var url = new Uri("http://203.0.113.5:5000/rootDesc.xml");

            var found = await Bounded(locator.FindAsync(new GatewaySearch { Location = url }, CancellationToken.None));

            var g = Assert.Single(found);
            Assert.Equal(url, g.DescriptionUrl);
            Assert.Equal(new Uri("http://203.0.113.5:5000/ctl/IPConn"), g.ControlUrl);
            Assert.Equal(IPAddress.Parse("192.0.2.10"), g.LocalAddress);
            Assert.Null(g.ExpiresAt);
            Assert.Equal(new[] { IPAddress.Parse("203.0.113.5") }, network.RoutesAsked);
            Assert.Equal(new[] { url }, fetched);
        }

        [Theory]
        [InlineData("https://192.168.1.1/rootDesc.xml")]
        [InlineData("file:///etc/passwd")]
        public async Task LocationThatIsNotHttpIsRefused(string location)
        {
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), new IPEndPoint(IPAddress.Loopback, 9));

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => locator.FindAsync(new GatewaySearch { Location = new Uri(location) }, CancellationToken.None));

            Assert.Equal("UpnpLocationInvalid", e.ErrorId);
            Assert.Empty(fetched);
        }

        [Fact]
        public async Task AnHttpErrorReadingTheDescriptionIsTypedWithItsStatus()
        {
            var seams = new DiscoverySeams
            {
                Network = FakeNetwork.Loopback("127.0.0.1"),
                Cache = cache,
                Fetch = (url, timeout, _, ct) => Task.FromResult(new HttpResponse(404, "Not Found", Array.Empty<KeyValuePair<string, string>>(), Array.Empty<byte>())),
            };
            var locator = new GatewayLocator(trace, clock, seams);

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => locator.FindAsync(new GatewaySearch { Location = new Uri("http://127.0.0.1:5000/x.xml") }, CancellationToken.None));

            Assert.Equal(404, Assert.IsType<UpnpHttpStatusException>(e).StatusCode);
            Assert.Equal("UpnpHttpError404", e.ErrorId);
            Assert.Equal(UpnpErrorCategory.ObjectNotFound, e.Category);
            Assert.Contains("404", e.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task HostileDescriptionBehindLocationIsRefused()
        {
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), new IPEndPoint(IPAddress.Loopback, 9), _ => Encoding.UTF8.GetBytes("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><root>&x;</root>"));

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => locator.FindAsync(new GatewaySearch { Location = new Uri("http://127.0.0.1:5000/x.xml") }, CancellationToken.None));

            Assert.Equal("UpnpDescriptionDtdProhibited", e.ErrorId);
            Assert.Equal(new Uri("http://127.0.0.1:5000/x.xml"), e.Target);
        }

        [Fact]
        public async Task SecondSearchIsServedFromTheCacheUntilTheAdvertisementExpires()
        {
            var device = Responder("127.0.0.1", AnswerIgd("http://127.0.0.1:5000/rootDesc.xml", maxAge: 60));
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint);
            var search = new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) };

            var first = await Bounded(locator.FindAsync(search, CancellationToken.None));
            clock.UtcNow = clock.UtcNow.AddSeconds(59);
            var second = await Bounded(locator.FindAsync(search, CancellationToken.None));

            Assert.Same(first[0], second[0]);
            Assert.Single(fetched);

            clock.UtcNow = clock.UtcNow.AddSeconds(2);
            var third = await Bounded(locator.FindAsync(search, CancellationToken.None));

            Assert.NotSame(first[0], third[0]);
            Assert.Equal(2, fetched.Count);
        }

        [Fact]
        public async Task BypassCacheAndEvictionForceANewSearch()
        {
            var device = Responder("127.0.0.1", AnswerIgd("http://127.0.0.1:5000/rootDesc.xml"));
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint);

            var first = await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None));
            await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10), BypassCache = true }, CancellationToken.None));
            Assert.Equal(2, fetched.Count);

            Assert.Equal(1, cache.Evict(first[0]));
            await Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None));
            Assert.Equal(3, fetched.Count);
        }

        [Fact]
        public async Task UnusableDescriptionIsExplainedInGatewayNotFound()
        {
            var device = Responder("127.0.0.1", AnswerIgd("http://127.0.0.1:5000/rootDesc.xml"));
            var locator = Locator(FakeNetwork.Loopback("127.0.0.1"), device.EndPoint, _ => Encoding.UTF8.GetBytes("<root><device><friendlyName>Switch</friendlyName></device></root>"));

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => Bounded(locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromMilliseconds(500) }, CancellationToken.None)));

            Assert.Equal("UpnpGatewayNotFound", e.ErrorId);
            Assert.Equal("UpnpNoConnectionService", Assert.IsType<UpnpException>(e.InnerException).ErrorId);
            Assert.Contains("Switch", e.Message, StringComparison.Ordinal);
        }
    }
}
