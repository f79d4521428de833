using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Ssdp;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Discovery
{
    /// <summary>Discovery with the real HttpExchange reading descriptions from a loopback HTTP server.</summary>
    public class GatewayLocatorHttpTests
    {
        private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(20);

        private static GatewayLocator Locator(IPEndPoint multicast, ListTrace trace) => new GatewayLocator(trace, new FakeClock(), new DiscoverySeams
        {
            Network = FakeNetwork.Loopback("127.0.0.1"),
            Cache = new GatewayCache(),
            MulticastEndPoint = multicast,
            UnicastPort = 9,
        });

        private static async Task<T> Bounded<T>(Task<T> task)
        {
            Assert.Same(task, await Task.WhenAny(task, Task.Delay(HangBound)));
            return await task;
        }

        [Fact]
        public async Task DiscoveredDescriptionIsReadOverHttp()
        {
            using var http = LoopbackHttpServer.Answering(LoopbackHttpServer.Response(200, "OK", "text/xml", Encoding.UTF8.GetBytes(GatewayLocatorTests.Description())));
            var location = http.Url("/rootDesc.xml").ToString();
            using var device = new SsdpResponder("127.0.0.1", request => new[] { SsdpResponder.Response(SsdpResponder.StOf(request), location) });
            var trace = new ListTrace();

            var found = await Bounded(Locator(device.EndPoint, trace).FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None));

            var g = Assert.Single(found);
            Assert.Equal(http.Url("/ctl/IPConn"), g.ControlUrl);
            Assert.Equal(http.Url("/rootDesc.xml"), g.DescriptionUrl);
            Assert.True(http.Requests.TryPeek(out var request));
            Assert.Equal("GET /rootDesc.xml HTTP/1.1", request!.RequestLine);
            Assert.True(trace.Any("Description: GET " + location + " -> 200"), string.Join("\n", trace.Lines));
        }

        [Fact]
        public async Task LocationOnAClosedPortIsAConnectionErrorWithinTheBound()
        {
            int closedPort;
            using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
            }

            var locator = Locator(new IPEndPoint(IPAddress.Loopback, 9), new ListTrace());

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => Bounded(locator.FindAsync(
                new GatewaySearch { Location = new Uri("http://127.0.0.1:" + closedPort + "/rootDesc.xml"), Timeout = TimeSpan.FromSeconds(5) },
                CancellationToken.None)));

            Assert.Equal(UpnpErrorCategory.ConnectionError, e.Category);
        }

        [Fact]
        public async Task LocationThatNeverAnswersTimesOutAsUpnpTimeout()
        {
            using var http = new LoopbackHttpServer(async (_, stream, ct) => await Task.Delay(Timeout.Infinite, ct));
            var locator = Locator(new IPEndPoint(IPAddress.Loopback, 9), new ListTrace());

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => Bounded(locator.FindAsync(
                new GatewaySearch { Location = http.Url("/rootDesc.xml"), Timeout = TimeSpan.FromMilliseconds(300) },
                CancellationToken.None)));

            Assert.Equal("UpnpTimeout", e.ErrorId);
        }
    }
}
