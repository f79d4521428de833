using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Ssdp
{
    /// <summary>
    /// Sends M-SEARCH requests from one socket per interface (bound to the interface's address, so answers come back
    /// on the interface that reaches the device) and hands every well-formed gateway answer to a callback. Malformed
    /// datagrams are traced and skipped. Dispose closes the sockets, which is also how a pending receive is stopped:
    /// UDP receive on netstandard2.0 takes no CancellationToken.
    /// </summary>
    internal sealed class SsdpSearcher : IDisposable
    {
        /// <summary>Resends after these delays while nothing has answered, to survive a lost datagram.</summary>
        internal static readonly TimeSpan[] ResendDelays = { TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(1000) };

        private readonly IReadOnlyList<SearchSource> sources;
        private readonly IReadOnlyList<string> targets;
        private readonly int mx;
        private readonly IPEndPoint multicastEndPoint;
        private readonly ITraceSink trace;
        private readonly ISystemClock clock;
        private readonly Action<SsdpAnswer> onAnswer;
        private readonly List<(Socket Socket, SearchSource Source)> sockets = new List<(Socket, SearchSource)>();
        private readonly CancellationTokenSource stop = new CancellationTokenSource();
        private readonly TaskCompletionSource<bool> firstAnswer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private byte[][]? multicastRequests;
        private long lastRoundTicks;
        private int answered;
        private int disposed;

        public SsdpSearcher(
            IReadOnlyList<SearchSource> sources,
            IReadOnlyList<string> targets,
            int mx,
            IPEndPoint multicastEndPoint,
            ITraceSink trace,
            ISystemClock clock,
            Action<SsdpAnswer> onAnswer)
        {
            this.sources = sources;
            this.targets = targets;
            this.mx = mx;
            this.multicastEndPoint = multicastEndPoint;
            this.trace = trace;
            this.clock = clock;
            this.onAnswer = onAnswer;
        }

        /// <summary>
        /// Completes, with the time the last round of M-SEARCHes left, once no further round will be sent: an answer
        /// came, the resend schedule is done, or the search was disposed. Every device answers a round within its MX
        /// seconds (UDA 1.1, 1.3.3), so nothing is due after that time plus MX.
        /// </summary>
        public Task<DateTimeOffset> LastRound { get; private set; } = Task.FromResult(DateTimeOffset.MinValue);

        /// <summary>How many sockets are open (zero when no interface could be bound).</summary>
        public int SocketCount => sockets.Count;

        /// <summary>The open sockets, for tests to check how each is bound and set up.</summary>
        internal IReadOnlyList<Socket> Sockets => sockets.ConvertAll(s => s.Socket);

        /// <summary>Opens the sockets, sends the first round, starts receiving and schedules the resends.</summary>
        public void Start()
        {
            multicastRequests = new byte[targets.Count][];
            for (var i = 0; i < targets.Count; i++)
            {
                multicastRequests[i] = MSearchEncoder.Multicast(targets[i], mx);
            }

            foreach (var source in sources)
            {
                var socket = Open(source);
                if (socket != null)
                {
                    sockets.Add((socket, source));
                }
            }

            foreach (var (socket, source) in sockets)
            {
                _ = ReceiveLoopAsync(socket, source);
            }

            SendRound();
            LastRound = ResendAsync();
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }

            stop.Cancel();
            firstAnswer.TrySetResult(false);
            foreach (var (socket, _) in sockets)
            {
                socket.Dispose();
            }

            stop.Dispose();
        }

        private Socket? Open(SearchSource source)
        {
            var address = source.Interface.Address;
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(address, 0));
                if (source.Multicast)
                {
                    // Bound sockets still leave by the routing table's choice unless IP_MULTICAST_IF says otherwise.
                    socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, address.GetAddressBytes());
                    socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, MSearchEncoder.MulticastTimeToLive);
                }

                return socket;
            }
            catch (SocketException e)
            {
                trace.Trace("SSDP: cannot search from " + source.Interface + ": " + e.Message);
                socket.Dispose();
                return null;
            }
        }

        private void SendRound()
        {
            Interlocked.Exchange(ref lastRoundTicks, clock.UtcNow.UtcTicks);
            foreach (var (socket, source) in sockets)
            {
                foreach (var device in source.UnicastDevices)
                {
                    for (var i = 0; i < targets.Count; i++)
                    {
                        Send(socket, source, MSearchEncoder.Unicast(device, targets[i]), device, targets[i]);
                    }
                }

                if (source.Multicast)
                {
                    for (var i = 0; i < targets.Count; i++)
                    {
                        Send(socket, source, multicastRequests![i], multicastEndPoint, targets[i]);
                    }
                }
            }
        }

        private void Send(Socket socket, SearchSource source, byte[] datagram, IPEndPoint destination, string target)
        {
            try
            {
                socket.SendTo(datagram, destination);
                trace.Trace("SSDP: M-SEARCH " + target + " from " + source.Interface.Address + " to " + destination);
            }
            catch (ObjectDisposedException)
            {
                // The search ended while a resend was under way.
            }
            catch (SocketException e)
            {
                trace.Trace("SSDP: M-SEARCH from " + source.Interface.Address + " to " + destination + " failed: " + e.Message);
            }
        }

        private async Task<DateTimeOffset> ResendAsync()
        {
            var token = stop.Token;
            foreach (var delay in ResendDelays)
            {
                try
                {
                    // An answer ends the schedule at once, so that a caller waiting for the last round need not wait for the delay.
                    await Task.WhenAny(Task.Delay(delay, token), firstAnswer.Task).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                if (Volatile.Read(ref answered) != 0 || Volatile.Read(ref disposed) != 0 || token.IsCancellationRequested)
                {
                    break;
                }

                trace.Trace("SSDP: no answer yet, sending the search again");
                SendRound();
            }

            return new DateTimeOffset(Interlocked.Read(ref lastRoundTicks), TimeSpan.Zero);
        }

        private async Task ReceiveLoopAsync(Socket socket, SearchSource source)
        {
            // One byte more than the parser accepts, so an oversized datagram is seen as such rather than cut.
            var buffer = new byte[SsdpParser.MaxDatagramBytes + 1];
            EndPoint any = new IPEndPoint(IPAddress.Any, 0);
            while (Volatile.Read(ref disposed) == 0)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await socket.ReceiveFromAsync(new ArraySegment<byte>(buffer), SocketFlags.None, any).ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException) when (Volatile.Read(ref disposed) != 0)
                {
                    return;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset || e.SocketErrorCode == SocketError.MessageSize)
                {
                    // Windows reports an ICMP port-unreachable from an earlier unicast send, or a datagram too big, here.
                    trace.Trace("SSDP: receive on " + source.Interface.Address + ": " + e.Message + "; still listening");
                    continue;
                }
                catch (SocketException e)
                {
                    trace.Trace("SSDP: receive on " + source.Interface.Address + " failed: " + e.Message + "; this interface stops listening");
                    return;
                }

                Handle(buffer, received.ReceivedBytes, (IPEndPoint)received.RemoteEndPoint, source);
            }
        }

        private void Handle(byte[] buffer, int count, IPEndPoint sender, SearchSource source)
        {
            SsdpMessage message;
            try
            {
                message = SsdpParser.Parse(buffer, 0, count);
            }
            catch (UpnpException e)
            {
                trace.Trace("SSDP: skipped a datagram from " + sender + ": " + e.Message);
                return;
            }

            if (message.Kind != SsdpMessageKind.SearchResponse || !SearchTarget.IsGateway(message.Target))
            {
                trace.Trace("SSDP: ignored " + message.Kind + " " + message.Target + " from " + sender);
                return;
            }

            Interlocked.Exchange(ref answered, 1);
            firstAnswer.TrySetResult(true);
            trace.Trace("SSDP: answer from " + sender + " on " + source.Interface.Address + ": ST " + message.Target + ", LOCATION " + message.Location + ", SERVER " + message.Server);
            onAnswer(new SsdpAnswer(message, sender, source.Interface, clock.UtcNow));
        }
    }
}
