using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;

namespace PSUpnp.Stun
{
    /// <summary>
    /// One UDP socket and the STUN transactions in flight on it, told apart by transaction ID. Requests are sent
    /// again on the schedule of a <see cref="StunRetransmissionPolicy"/>. An answer is trusted only when its
    /// transaction ID is pending, it comes from an address that transaction expects, and it decodes cleanly
    /// (FINGERPRINT included); anything else is dropped and traced.
    /// </summary>
    internal sealed class StunClient : IDisposable
    {
        private const int MaxDatagram = 2048;

        private readonly Socket _socket;
        private readonly ITraceSink _trace;
        private readonly ConcurrentDictionary<StunTransactionId, Pending> _pending = new ConcurrentDictionary<StunTransactionId, Pending>();
        private readonly Task _receiveLoop;
        private int _disposed;

        /// <summary>Binds a UDP socket to <paramref name="localEndPoint"/> (port 0 picks a free port).</summary>
        public StunClient(IPEndPoint localEndPoint, ITraceSink? trace = null)
        {
            if (localEndPoint == null)
            {
                throw new ArgumentNullException(nameof(localEndPoint));
            }

            _trace = trace ?? NullTraceSink.Instance;
            _socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                _socket.Bind(localEndPoint);
            }
            catch (SocketException e)
            {
                _socket.Dispose();
                throw new StunException(UpnpErrors.StunSocketFailed, "Cannot bind a UDP socket to " + localEndPoint + ": " + e.Message, localEndPoint, e);
            }

            LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
            _receiveLoop = Task.Run(ReceiveLoopAsync);
        }

        public IPEndPoint LocalEndPoint { get; }

        /// <summary>A Binding request to <paramref name="destination"/>, answered only from there.</summary>
        public Task<StunTransactionResult> SendAsync(StunMessage request, IPEndPoint destination, StunRetransmissionPolicy policy, CancellationToken cancellationToken) =>
            SendAsync(request, destination, new[] { destination }, false, policy, cancellationToken);

        /// <summary>
        /// Runs one transaction. <paramref name="acceptFrom"/> lists the sources whose answers count (a CHANGE-REQUEST
        /// is answered from the server's other address); <paramref name="acceptOwnRequest"/> lets the request itself
        /// come back, which is what a hairpinning test waits for. Silence is a result, not an error; so is giving up
        /// early when <paramref name="giveUpToken"/> fires (the transaction then ends as unanswered).
        /// </summary>
        public async Task<StunTransactionResult> SendAsync(
            StunMessage request,
            IPEndPoint destination,
            IReadOnlyCollection<IPEndPoint> acceptFrom,
            bool acceptOwnRequest,
            StunRetransmissionPolicy policy,
            CancellationToken cancellationToken,
            CancellationToken giveUpToken = default)
        {
            if (request == null || destination == null || acceptFrom == null || policy == null)
            {
                throw new ArgumentNullException(request == null ? nameof(request) : destination == null ? nameof(destination) : acceptFrom == null ? nameof(acceptFrom) : nameof(policy));
            }

            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfDisposed();
            var pending = new Pending(acceptFrom.Select(MappedAddress.Unmap).ToList(), acceptOwnRequest);
            if (!_pending.TryAdd(request.TransactionId, pending))
            {
                throw new InvalidOperationException("A transaction with ID " + request.TransactionId + " is already in flight.");
            }

            var bytes = request.Encode(true);
            var transmissions = 0;
            var lastSentAt = 0L;
            try
            {
                using (cancellationToken.Register(() => pending.Completion.TrySetCanceled(cancellationToken)))
                using (var waitCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, giveUpToken))
                {
                    foreach (var wait in policy.Waits)
                    {
                        await SendDatagramAsync(bytes, destination).ConfigureAwait(false);
                        transmissions++;
                        lastSentAt = Stopwatch.GetTimestamp();
                        var delay = Task.Delay(wait, waitCancel.Token);
                        await Task.WhenAny(pending.Completion.Task, delay).ConfigureAwait(false);

                        // The delay shares the caller's token: it may win the race against the cancelled completion.
                        if (pending.Completion.Task.IsCompleted || cancellationToken.IsCancellationRequested || giveUpToken.IsCancellationRequested)
                        {
                            break;
                        }
                    }

                    waitCancel.Cancel();
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (!pending.Completion.Task.IsCompleted)
                {
                    Trace(string.Format(CultureInfo.InvariantCulture, "STUN {0} to {1}: no answer after {2} transmissions ({3}).", request.TransactionId, destination, transmissions, policy));
                    return new StunTransactionResult(request, destination, null, null, transmissions, null);
                }

                var (response, source, arrivedAt) = await pending.Completion.Task.ConfigureAwait(false);

                // From the send to the datagram's arrival on the socket: the path's round trip, without the time this
                // process took to decode and hand the answer over (in a fresh process that is mostly JIT, and an RTO
                // adapted to it would make every later silent test wait several times longer than it needs).
                var sinceLast = Between(lastSentAt, arrivedAt);
                TimeSpan? rtt = transmissions == 1 ? sinceLast : (TimeSpan?)null;
                Trace(string.Format(
                    CultureInfo.InvariantCulture,
                    "STUN {0} to {1}: {2} from {3} after {4} transmission(s), {5:0.0} ms after the last{6}.",
                    request.TransactionId,
                    destination,
                    response.Class,
                    source,
                    transmissions,
                    sinceLast.TotalMilliseconds,
                    response.ReflexiveAddress != null ? ", mapped " + response.ReflexiveAddress : string.Empty));
                return new StunTransactionResult(request, destination, response, source, transmissions, rtt);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested && Volatile.Read(ref _disposed) != 0)
            {
                throw new ObjectDisposedException(nameof(StunClient), "The STUN client was closed while the transaction was in flight.");
            }
            finally
            {
                _pending.TryRemove(request.TransactionId, out _);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            // Closing the socket is the only way to end a pending ReceiveFrom on netstandard2.0.
            _socket.Dispose();
            foreach (var pending in _pending.Values)
            {
                pending.Completion.TrySetCanceled();
            }
        }

        private async Task SendDatagramAsync(byte[] bytes, IPEndPoint destination)
        {
            try
            {
                await _socket.SendToAsync(new ArraySegment<byte>(bytes), SocketFlags.None, destination).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new StunException(UpnpErrors.StunSocketFailed, "Cannot send a STUN request to " + destination + ": " + e.Message, destination, e);
            }
        }

        private async Task ReceiveLoopAsync()
        {
            var buffer = new byte[MaxDatagram];
            EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            while (Volatile.Read(ref _disposed) == 0)
            {
                SocketReceiveFromResult received;
                long arrivedAt;
                try
                {
                    received = await _socket.ReceiveFromAsync(new ArraySegment<byte>(buffer), SocketFlags.None, any).ConfigureAwait(false);
                    arrivedAt = Stopwatch.GetTimestamp();
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException e) when (Volatile.Read(ref _disposed) == 0 && (e.SocketErrorCode == SocketError.ConnectionReset || e.SocketErrorCode == SocketError.ConnectionRefused || e.SocketErrorCode == SocketError.MessageSize))
                {
                    // An ICMP error for an earlier datagram (Windows reports port unreachable on the next receive),
                    // or a datagram too large for any STUN answer we wait for.
                    Trace("STUN socket " + LocalEndPoint + ": " + e.SocketErrorCode + " ignored.");
                    continue;
                }
                catch (SocketException) when (Volatile.Read(ref _disposed) != 0)
                {
                    return;
                }

                Dispatch(buffer, received.ReceivedBytes, (IPEndPoint)received.RemoteEndPoint, arrivedAt);
            }
        }

        private void Dispatch(byte[] buffer, int count, IPEndPoint source, long arrivedAt)
        {
            StunMessage message;
            try
            {
                message = StunMessage.Decode(buffer, 0, count);
            }
            catch (StunException e)
            {
                Trace("STUN datagram of " + count + " bytes from " + source + " ignored: " + e.Message);
                return;
            }

            if (!message.HasMagicCookie || !_pending.TryGetValue(message.TransactionId, out var pending))
            {
                Trace("STUN " + message.Class + " " + message.TransactionId + " from " + source + " ignored: no such transaction in flight.");
                return;
            }

            var isAnswer = message.Class == StunMessageClass.SuccessResponse || message.Class == StunMessageClass.ErrorResponse;
            var isEcho = pending.AcceptOwnRequest && message.Class == StunMessageClass.Request;
            if (!isAnswer && !isEcho)
            {
                Trace("STUN " + message.Class + " " + message.TransactionId + " from " + source + " ignored: not an answer.");
                return;
            }

            var from = MappedAddress.Unmap(source);
            if (!pending.AcceptFrom.Contains(from))
            {
                Trace("STUN " + message.TransactionId + " answer from " + source + " ignored: this transaction expects "
                    + string.Join(" or ", pending.AcceptFrom.Select(e => e.ToString())) + ".");
                return;
            }

            pending.Completion.TrySetResult((message, from, arrivedAt));
        }

        /// <summary>Stopwatch timestamps to a span; an answer dispatched just after a resend counts as zero, never negative.</summary>
        private static TimeSpan Between(long from, long to) =>
            TimeSpan.FromTicks(Math.Max(0, (long)((to - from) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency))));

        private void ThrowIfDisposed()
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                throw new ObjectDisposedException(nameof(StunClient));
            }
        }

        private void Trace(string line) => _trace.Trace(line);

        private sealed class Pending
        {
            public Pending(List<IPEndPoint> acceptFrom, bool acceptOwnRequest)
            {
                AcceptFrom = acceptFrom;
                AcceptOwnRequest = acceptOwnRequest;
            }

            public List<IPEndPoint> AcceptFrom { get; }

            public bool AcceptOwnRequest { get; }

            /// <summary>The answer, its source, and the Stopwatch timestamp at which it came off the socket.</summary>
            public TaskCompletionSource<(StunMessage Message, IPEndPoint Source, long ArrivedAt)> Completion { get; } =
                new TaskCompletionSource<(StunMessage Message, IPEndPoint Source, long ArrivedAt)>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
