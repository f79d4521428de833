using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Tests.Fakes
{
    /// <summary>One datagram a <see cref="ScriptedUdpServer"/> sends back: from its own port, or from another socket (a stray or forged answer).</summary>
    internal sealed class UdpReply
    {
        private UdpReply(byte[] bytes, bool fromOtherPort)
        {
            Bytes = bytes;
            FromOtherPort = fromOtherPort;
        }

        public byte[] Bytes { get; }

        public bool FromOtherPort { get; }

        public static UdpReply Answer(byte[] bytes) => new UdpReply(bytes, false);

        public static UdpReply FromElsewhere(byte[] bytes) => new UdpReply(bytes, true);
    }

    /// <summary>
    /// A UDP server on loopback for what a real NAT-PMP or PCP server will not do on request: stray and forged
    /// answers, silence before an answer, version refusals, an epoch that goes back. The script gets each request with
    /// its number (1 for the first copy) and returns the datagrams to send back, in order (none: silence).
    /// </summary>
    internal sealed class ScriptedUdpServer : IDisposable
    {
        private readonly Socket _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly Socket _other = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly Func<byte[], int, IEnumerable<UdpReply>> _script;
        private readonly ConcurrentQueue<byte[]> _requests = new ConcurrentQueue<byte[]>();

        public ScriptedUdpServer(Func<byte[], int, IEnumerable<UdpReply>> script)
        {
            _script = script;
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
            _ = Task.Run(ServeAsync);
        }

        public IPEndPoint EndPoint { get; }

        /// <summary>Every request received, in order.</summary>
        public IReadOnlyList<byte[]> Requests => _requests.ToArray();

        /// <summary>
        /// Starts <paramref name="call"/> against a silent server with a long timeout, cancels it once the first request
        /// has arrived, and requires the call to end in cancellation (not in its timeout's error, which comes much later).
        /// </summary>
        public static async Task AssertCancellationEndsTheWaitAsync(Func<ScriptedUdpServer, CancellationToken, Task> call)
        {
            using var server = new ScriptedUdpServer((request, copy) => Array.Empty<UdpReply>());
            using var cancel = new CancellationTokenSource();
            var pending = call(server, cancel.Token);
            while (server.Requests.Count == 0)
            {
                await Task.Delay(10);
            }

            cancel.Cancel();

            await Xunit.Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        }

        public void Dispose()
        {
            _socket.Dispose();
            _other.Dispose();
        }

        private async Task ServeAsync()
        {
            var buffer = new byte[2048];
            while (true)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0)).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ObjectDisposedException || e is SocketException)
                {
                    return;
                }

                var request = buffer.Take(received.ReceivedBytes).ToArray();
                _requests.Enqueue(request);
                foreach (var reply in _script(request, _requests.Count))
                {
                    await (reply.FromOtherPort ? _other : _socket).SendToAsync(reply.Bytes, SocketFlags.None, received.RemoteEndPoint).ConfigureAwait(false);
                }
            }
        }
    }
}
