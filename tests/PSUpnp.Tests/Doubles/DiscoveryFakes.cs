using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;

namespace PSUpnp.Tests.Discovery
{
    internal sealed class FakeNetwork : ILocalNetwork
    {
        public List<LocalInterface> Interfaces { get; } = new List<LocalInterface>();
        public List<IPAddress> Gateways { get; } = new List<IPAddress>();
        public IPAddress RouteSource { get; set; } = IPAddress.Loopback;
        public List<IPAddress> RoutesAsked { get; } = new List<IPAddress>();

        public static FakeNetwork Loopback(params string[] addresses)
        {
            var n = new FakeNetwork();
            foreach (var a in addresses)
            {
                n.Interfaces.Add(new LocalInterface("lo", IPAddress.Parse(a), IPAddress.Parse("255.0.0.0"), true));
            }

            return n;
        }

        public NetworkSnapshot Read() => new NetworkSnapshot(Interfaces, Gateways);

        public IPAddress GetRouteSource(IPAddress remote)
        {
            RoutesAsked.Add(remote);
            return RouteSource;
        }
    }

    internal sealed class FakeClock : ISystemClock
    {
        public DateTimeOffset UtcNow { get; set; } = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    }

    internal sealed class ListTrace : ITraceSink
    {
        private readonly ConcurrentQueue<string> lines = new ConcurrentQueue<string>();

        public IReadOnlyCollection<string> Lines => lines.ToArray();

        public void Trace(string message) => lines.Enqueue(message);

        public bool Any(string fragment)
        {
            foreach (var l in lines)
            {
                if (l.Contains(fragment, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// A fake SSDP device on a loopback address and an ephemeral port (never 1900): records every M-SEARCH and
    /// answers each with the datagrams the test gives, optionally ignoring the first few requests.
    /// </summary>
    internal sealed class SsdpResponder : IDisposable
    {
        private readonly UdpClient udp;
        private readonly CancellationTokenSource stop = new CancellationTokenSource();
        private readonly Func<string, IReadOnlyList<string>> answer;
        private readonly IPAddress? answerOnlyFrom;
        private int ignoreFirst;

        public SsdpResponder(string address, Func<string, IReadOnlyList<string>> answer, int ignoreFirst = 0, IPAddress? answerOnlyFrom = null)
        {
            this.answerOnlyFrom = answerOnlyFrom;
            udp = new UdpClient(new IPEndPoint(IPAddress.Parse(address), 0));
            this.answer = answer;
            this.ignoreFirst = ignoreFirst;
            _ = Task.Run(LoopAsync);
        }

        public IPEndPoint EndPoint => (IPEndPoint)udp.Client.LocalEndPoint!;

        public ConcurrentQueue<(IPEndPoint From, string Text)> Requests { get; } = new ConcurrentQueue<(IPEndPoint, string)>();

        public static string Response(string st, string location, string usn = "uuid:lab-router", int? maxAge = 120) =>
            "HTTP/1.1 200 OK\r\n" +
            (maxAge.HasValue ? "CACHE-CONTROL: max-age=" + maxAge.Value + "\r\n" : string.Empty) +
            "ST: " + st + "\r\n" +
            "USN: " + usn + "::" + st + "\r\n" +
            "EXT:\r\n" +
            "SERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\n" +
            "LOCATION: " + location + "\r\n\r\n";

        public static string StOf(string request)
        {
            foreach (var line in request.Split("\r\n"))
            {
                if (line.StartsWith("ST: ", StringComparison.Ordinal))
                {
                    return line.Substring(4);
                }
            }

            return string.Empty;
        }

        public void Dispose()
        {
            stop.Cancel();
            udp.Dispose();
        }

        private async Task LoopAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                UdpReceiveResult r;
                try
                {
                    r = await udp.ReceiveAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException)
                {
                    return;
                }

                var text = Encoding.ASCII.GetString(r.Buffer);
                Requests.Enqueue((r.RemoteEndPoint, text));
                if (Interlocked.Decrement(ref ignoreFirst) >= 0 || (answerOnlyFrom != null && !answerOnlyFrom.Equals(r.RemoteEndPoint.Address)))
                {
                    continue;
                }

                foreach (var datagram in answer(text))
                {
                    var bytes = Encoding.ASCII.GetBytes(datagram);
                    try
                    {
                        await udp.SendAsync(bytes, bytes.Length, r.RemoteEndPoint);
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            }
        }
    }
}
