using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Net
{
    /// <summary>What a transaction's judge made of one datagram: the answer, or why it does not count.</summary>
    internal readonly struct UdpVerdict<T>
        where T : class
    {
        private UdpVerdict(T? answer, string? ignoredBecause)
        {
            Answer = answer;
            IgnoredBecause = ignoredBecause;
        }

        public T? Answer { get; }

        public string? IgnoredBecause { get; }

        public static UdpVerdict<T> Accept(T answer) => new UdpVerdict<T>(answer ?? throw new ArgumentNullException(nameof(answer)), null);

        public static UdpVerdict<T> Ignore(string reason) => new UdpVerdict<T>(null, reason);
    }

    /// <summary>An answer with the time it arrived by the client's clock (what an epoch check compares).</summary>
    internal sealed class Received<T>
        where T : class
    {
        public Received(T answer, DateTimeOffset receivedAt)
        {
            Answer = answer;
            ReceivedAt = receivedAt;
        }

        public T Answer { get; }

        public DateTimeOffset ReceivedAt { get; }
    }

    /// <summary>The answer of a transaction (null when the server stayed silent) and how many copies were sent.</summary>
    internal sealed class UdpTransactionResult<T>
        where T : class
    {
        public UdpTransactionResult(T? answer, int transmissions)
        {
            Answer = answer;
            Transmissions = transmissions;
        }

        public T? Answer { get; }

        public int Transmissions { get; }
    }

    /// <summary>
    /// One request and its answer over UDP, as NAT-PMP and PCP run them: one socket per transaction, the request sent
    /// again after each wait of the protocol's schedule, the whole bounded by the caller's timeout (the last wait is
    /// cut to what is left). Every datagram that arrives goes to the judge; what it does not accept is traced and the
    /// wait goes on. A judge that throws ends the transaction with its error (a router's refusal). Cancellation closes
    /// the socket at once: on netstandard2.0 a UDP receive takes no token.
    /// </summary>
    internal static class UdpTransaction
    {
        private const int MaxDatagram = 1100;

        public static async Task<UdpTransactionResult<T>> RunAsync<T>(
            string name,
            IPEndPoint localEndPoint,
            IPEndPoint server,
            byte[] request,
            IEnumerable<TimeSpan> waits,
            TimeSpan timeout,
            Func<byte[], int, IPEndPoint, UdpVerdict<T>> judge,
            ITraceSink trace,
            CancellationToken cancellationToken)
            where T : class
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
            using (cancellationToken.Register(() => socket.Dispose()))
            {
                Bind(socket, localEndPoint, name);
                var deadline = Stopwatch.StartNew();
                var buffer = new byte[MaxDatagram];
                var receive = ReceiveAsync(socket, buffer);
                var transmissions = 0;
                try
                {
                    using (var schedule = waits.GetEnumerator())
                    {
                        while (deadline.Elapsed < timeout)
                        {
                            await SendAsync(socket, request, server, name, cancellationToken).ConfigureAwait(false);
                            transmissions++;
                            trace.Trace(string.Format(CultureInfo.InvariantCulture, "{0} to {1}: copy {2} sent ({3} bytes).", name, server, transmissions, request.Length));
                            var left = timeout - deadline.Elapsed;
                            var wait = schedule.MoveNext() && schedule.Current < left ? schedule.Current : left;
                            var sendAgainAt = deadline.Elapsed + wait;
                            while (deadline.Elapsed < sendAgainAt)
                            {
                                var delay = Task.Delay(sendAgainAt - deadline.Elapsed, cancellationToken);
                                if (await Task.WhenAny(receive, delay).ConfigureAwait(false) != receive)
                                {
                                    cancellationToken.ThrowIfCancellationRequested();
                                    continue;
                                }

                                var received = await ReceivedOrNullAsync(receive, name, trace, cancellationToken).ConfigureAwait(false);
                                if (received.HasValue)
                                {
                                    var (count, source) = received.Value;
                                    var verdict = judge(buffer, count, MappedAddress.Unmap(source));
                                    if (verdict.Answer != null)
                                    {
                                        trace.Trace(string.Format(CultureInfo.InvariantCulture, "{0} to {1}: answered by {2} after {3} copies.", name, server, source, transmissions));
                                        return new UdpTransactionResult<T>(verdict.Answer, transmissions);
                                    }

                                    trace.Trace(string.Format(CultureInfo.InvariantCulture, "{0} to {1}: datagram of {2} bytes from {3} ignored: {4}", name, server, count, source, verdict.IgnoredBecause));
                                }

                                receive = ReceiveAsync(socket, buffer);
                            }
                        }
                    }
                }
                catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
                catch (SocketException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
                finally
                {
                    Observe(receive);
                }

                trace.Trace(string.Format(CultureInfo.InvariantCulture, "{0} to {1}: no answer to {2} copies within {3:0.###} s.", name, server, transmissions, timeout.TotalSeconds));
                return new UdpTransactionResult<T>(null, transmissions);
            }
        }

        private static void Bind(Socket socket, IPEndPoint localEndPoint, string name)
        {
            try
            {
                socket.Bind(localEndPoint);
            }
            catch (SocketException e)
            {
                throw new UpnpConnectionException(UpnpErrors.NoRoute, "Cannot bind a UDP socket to " + localEndPoint + " for " + name + ": " + e.Message, localEndPoint, e);
            }
        }

        private static async Task SendAsync(Socket socket, byte[] request, IPEndPoint server, string name, CancellationToken cancellationToken)
        {
            try
            {
                await socket.SendToAsync(new ArraySegment<byte>(request), SocketFlags.None, server).ConfigureAwait(false);
            }
            catch (SocketException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new UpnpConnectionException(
                    e.SocketErrorCode == SocketError.NetworkUnreachable ? UpnpErrors.NoRoute : UpnpErrors.HostUnreachable,
                    "Cannot send " + name + " to " + server + ": " + e.Message,
                    server,
                    e);
            }
        }

        private static Task<SocketReceiveFromResult> ReceiveAsync(Socket socket, byte[] buffer)
        {
            EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            return socket.ReceiveFromAsync(new ArraySegment<byte>(buffer), SocketFlags.None, any);
        }

        /// <summary>The datagram, or null for an ICMP error or oversized datagram reported on the receive (traced).</summary>
        private static async Task<(int Count, IPEndPoint Source)?> ReceivedOrNullAsync(Task<SocketReceiveFromResult> receive, string name, ITraceSink trace, CancellationToken cancellationToken)
        {
            try
            {
                var result = await receive.ConfigureAwait(false);
                return (result.ReceivedBytes, (IPEndPoint)result.RemoteEndPoint);
            }
            catch (SocketException e) when (!cancellationToken.IsCancellationRequested
                && (e.SocketErrorCode == SocketError.ConnectionReset || e.SocketErrorCode == SocketError.ConnectionRefused || e.SocketErrorCode == SocketError.MessageSize))
            {
                // Windows reports an ICMP port unreachable for an earlier copy on the next receive; nothing to do but wait on.
                trace.Trace(name + ": " + e.SocketErrorCode + " on receive ignored.");
                return null;
            }
        }

        /// <summary>The receive still pending when the socket closes fails; its error is expected and must not go unobserved.</summary>
        private static void Observe(Task receive) =>
            _ = receive.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
