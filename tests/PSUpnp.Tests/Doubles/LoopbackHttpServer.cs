using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Tests.Fakes
{
    /// <summary>
    /// A raw TCP server on 127.0.0.1 for fault injection: each connection's request is read (head and
    /// Content-Length body) and handed to a script that writes whatever bytes it likes, at whatever pace, and
    /// may close early. It stands in for no real device; the lab's miniupnpd does that.
    /// </summary>
    public sealed class LoopbackHttpServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly Func<RecordedRequest, NetworkStream, CancellationToken, Task> _script;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _acceptLoop;

        /// <param name="script">What to do with each request.</param>
        /// <param name="address">A loopback address to listen on; 127.0.0.1 when not given.</param>
        public LoopbackHttpServer(Func<RecordedRequest, NetworkStream, CancellationToken, Task> script, IPAddress? address = null)
        {
            _script = script;
            _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
            _listener.Start();
            _acceptLoop = Task.Run(AcceptLoopAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public Uri Url(string path = "/") => new Uri($"http://{((IPEndPoint)_listener.LocalEndpoint).Address}:{Port}{path}");

        /// <summary>Every request received, in order.</summary>
        public ConcurrentQueue<RecordedRequest> Requests { get; } = new ConcurrentQueue<RecordedRequest>();

        /// <summary>A server that answers every request with the same bytes and closes.</summary>
        public static LoopbackHttpServer Answering(byte[] response, IPAddress? address = null) =>
            new LoopbackHttpServer(async (_, stream, ct) => await stream.WriteAsync(response, ct), address);

        public static LoopbackHttpServer Answering(string response) => Answering(Encoding.UTF8.GetBytes(response));

        public static byte[] Response(int status, string reason, string contentType, byte[] body, string extraHeaders = "")
        {
            var head = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n{extraHeaders}Connection: close\r\n\r\n");
            var all = new byte[head.Length + body.Length];
            head.CopyTo(all, 0);
            body.CopyTo(all, head.Length);
            return all;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                _acceptLoop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            _stop.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException)
                {
                    return;
                }

                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                try
                {
                    var request = await RecordedRequest.ReadAsync(stream, _stop.Token);
                    Requests.Enqueue(request);
                    await _script(request, stream, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
                catch (Exception e) when (e is IOException || e is OperationCanceledException || e is SocketException || e is ObjectDisposedException)
                {
                    // The client under test gave up (timeout, cancellation, size cap): that is what the test provokes.
                }
            }
        }
    }

    /// <summary>A request as the server saw it, byte for byte.</summary>
    public sealed class RecordedRequest
    {
        private RecordedRequest(byte[] raw, string head, byte[] body)
        {
            Raw = raw;
            Head = head;
            Body = body;
        }

        public byte[] Raw { get; }
        public string Head { get; }
        public byte[] Body { get; }
        public string BodyText => Encoding.UTF8.GetString(Body);
        public string RequestLine => Head.Substring(0, Head.IndexOf("\r\n", StringComparison.Ordinal));

        public string? Header(string name)
        {
            foreach (var line in Head.Split("\r\n"))
            {
                var colon = line.IndexOf(':');
                if (colon > 0 && string.Equals(line.Substring(0, colon).Trim(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return line.Substring(colon + 1).Trim();
                }
            }

            return null;
        }

        internal static async Task<RecordedRequest> ReadAsync(Stream stream, CancellationToken ct)
        {
            var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int headEnd;
            while ((headEnd = IndexOf(buffer.GetBuffer(), (int)buffer.Length, "\r\n\r\n"u8)) < 0)
            {
                var n = await stream.ReadAsync(chunk, ct);
                if (n == 0)
                {
                    throw new IOException("client closed before the request head ended");
                }

                buffer.Write(chunk, 0, n);
            }

            var head = Encoding.ASCII.GetString(buffer.GetBuffer(), 0, headEnd + 2);
            var length = 0;
            foreach (var line in head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(line.Substring(15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            while (buffer.Length < headEnd + 4 + length)
            {
                var n = await stream.ReadAsync(chunk, ct);
                if (n == 0)
                {
                    break;
                }

                buffer.Write(chunk, 0, n);
            }

            var raw = buffer.ToArray();
            var body = new byte[Math.Max(0, Math.Min(length, raw.Length - headEnd - 4))];
            Array.Copy(raw, headEnd + 4, body, 0, body.Length);
            return new RecordedRequest(raw, head, body);
        }

        private static int IndexOf(byte[] data, int count, ReadOnlySpan<byte> pattern) =>
            data.AsSpan(0, count).IndexOf(pattern);
    }
}
