using System;
using System.Collections.Concurrent;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;
using PSUpnp.Ssdp;
using Xunit;

namespace PSUpnp.Tests.Discovery
{
    /// <summary>The searcher alone, over loopback, against a fake device on an ephemeral port.</summary>
    public class SsdpSearcherTests
    {
        [Fact]
        public async Task GatewayAnswersReachTheCallbackWithSenderAndInterface()
        {
            using var device = new SsdpResponder("127.0.0.1", request => new[]
            {
                SsdpResponder.Response(SsdpResponder.StOf(request), "http://127.0.0.1:5000/rootDesc.xml"),
                SsdpResponder.Response("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1", "http://127.0.0.1:5000/rootDesc.xml"),
            });
            var iface = new LocalInterface("lo", IPAddress.Loopback, IPAddress.Parse("255.0.0.0"), true);
            var answers = new ConcurrentQueue<SsdpAnswer>();
            var got = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var trace = new ListTrace();

            using (var searcher = new SsdpSearcher(
                new[] { new SearchSource(iface, true, Array.Empty<IPEndPoint>()) },
                new[] { SearchTarget.InternetGatewayDevice1 },
                1,
                device.EndPoint,
                trace,
                new FakeClock(),
                a =>
                {
                    answers.Enqueue(a);
                    got.TrySetResult(true);
                }))
            {
                searcher.Start();
                Assert.Equal(1, searcher.SocketCount);
                Assert.Same(got.Task, await Task.WhenAny(got.Task, Task.Delay(TimeSpan.FromSeconds(20))));

                // The device's other datagram may arrive after the first answer: keep the searcher open until it is traced.
                for (var waited = 0; waited < 200 && !trace.Any("ignored SearchResponse urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1"); waited++)
                {
                    await Task.Delay(100);
                }
            }

            Assert.True(answers.TryPeek(out var answer));
            Assert.Equal(SearchTarget.InternetGatewayDevice1, answer!.Message.Target);
            Assert.Equal(device.EndPoint, answer.Sender);
            Assert.Same(iface, answer.ReceivedOn);
            Assert.All(answers, a => Assert.True(SearchTarget.IsGateway(a.Message.Target)));
            Assert.True(trace.Any("ignored SearchResponse urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1"), string.Join("\n", trace.Lines));
        }

        [Fact]
        public void InterfaceThatCannotBeBoundIsTracedAndLeftOut()
        {
            var gone = new LocalInterface("gone0", IPAddress.Parse("192.0.2.254"), IPAddress.Parse("255.255.255.0"), true);
            var trace = new ListTrace();

            using var searcher = new SsdpSearcher(
                new[] { new SearchSource(gone, true, Array.Empty<IPEndPoint>()) },
                SearchTarget.Gateway,
                1,
                new IPEndPoint(IPAddress.Loopback, 9),
                trace,
                new FakeClock(),
                _ => { });
            searcher.Start();

            Assert.Equal(0, searcher.SocketCount);
            Assert.True(trace.Any("cannot search from gone0"));
        }

        [Fact]
        public void DisposingClosesEverySocketAndASecondDisposeChangesNothing()
        {
            var iface = new LocalInterface("lo", IPAddress.Loopback, IPAddress.Parse("255.0.0.0"), true);
            var searcher = new SsdpSearcher(
                new[] { new SearchSource(iface, true, Array.Empty<IPEndPoint>()) },
                SearchTarget.Gateway,
                1,
                new IPEndPoint(IPAddress.Loopback, 9),
                new ListTrace(),
                new FakeClock(),
                _ => { });
            searcher.Start();
            var socket = Assert.Single(searcher.Sockets);

            searcher.Dispose();
            Assert.Throws<ObjectDisposedException>(() => socket.Available);

            Assert.Null(Record.Exception(searcher.Dispose));
            Assert.Throws<ObjectDisposedException>(() => socket.Available);
        }
    }
}
