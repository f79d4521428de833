using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Net
{
    /// <summary>Opens the TCP connection of one send, overlapping attempts as <see cref="HttpRetryPolicy"/> says.</summary>
    internal static class HttpConnector
    {
        /// <summary>
        /// Connects, starting a further attempt beside the pending ones every ConnectAttemptDelay and closing those older
        /// than ConnectAttemptLifetime meanwhile, and returns the first socket to connect; the others are closed. A
        /// refusal ends all attempts at once: nothing listens on that port. With a local address (see
        /// <see cref="HttpLimits.LocalAddress"/>) each attempt connects from it; a bind that fails fails that attempt.
        /// </summary>
        public static async Task<Socket> ConnectAsync(IPEndPoint endPoint, Uri url, HttpRetryPolicy retry, ITraceSink trace, CancellationToken token, IPAddress? localAddress = null)
        {
            var pending = new List<ConnectAttempt>(1);
            var started = 0;
            Task? nextAttempt = null;
            try
            {
                while (true)
                {
                    if (nextAttempt == null || nextAttempt.IsCompleted)
                    {
                        token.ThrowIfCancellationRequested();
                        if (started > 0)
                        {
                            var closed = CloseExpired(pending, retry.ConnectAttemptLifetime);
                            trace.Trace("HTTP: no connection to " + url.Authority + " yet; opening connection attempt " + (started + 1).ToString(CultureInfo.InvariantCulture)
                                + (closed > 0 ? " and closing " + closed.ToString(CultureInfo.InvariantCulture) + " before its SYN is retransmitted" : " beside the others"));
                        }

                        pending.Add(new ConnectAttempt(endPoint, localAddress));
                        started++;
                        nextAttempt = Task.Delay(started < retry.MaxConnectAttempts ? retry.ConnectAttemptDelay : Timeout.InfiniteTimeSpan, token);
                    }

                    var waitFor = new Task[pending.Count + 1];
                    for (var i = 0; i < pending.Count; i++)
                    {
                        waitFor[i] = pending[i].Connect;
                    }

                    waitFor[pending.Count] = nextAttempt;
                    var done = await Task.WhenAny(waitFor).ConfigureAwait(false);
                    if (done == nextAttempt)
                    {
                        continue;
                    }

                    var index = Array.IndexOf(waitFor, done);
                    var attempt = pending[index];
                    pending.RemoveAt(index);
                    if (attempt.Connect.Status == TaskStatus.RanToCompletion)
                    {
                        return attempt.Socket;
                    }

                    attempt.Socket.Dispose();
                    var error = attempt.Connect.Exception!.InnerException!;
                    var refused = error is SocketException se && se.SocketErrorCode == SocketError.ConnectionRefused;
                    if (refused || (pending.Count == 0 && started >= retry.MaxConnectAttempts))
                    {
                        ExceptionDispatchInfo.Capture(error).Throw();
                    }

                    if (pending.Count == 0)
                    {
                        // Every attempt so far failed outright (not lost): try the next one now rather than after the delay.
                        nextAttempt = null;
                    }
                }
            }
            finally
            {
                foreach (var attempt in pending)
                {
                    attempt.Socket.Dispose();
                }
            }
        }

        private static int CloseExpired(List<ConnectAttempt> pending, TimeSpan lifetime)
        {
            if (lifetime == Timeout.InfiniteTimeSpan)
            {
                return 0;
            }

            var closed = 0;
            for (var i = pending.Count - 1; i >= 0; i--)
            {
                if (pending[i].Age >= lifetime)
                {
                    pending[i].Socket.Dispose();
                    pending.RemoveAt(i);
                    closed++;
                }
            }

            return closed;
        }

        /// <summary>One socket connecting; an attempt that loses the race is closed, and its expected failure observed here.</summary>
        private sealed class ConnectAttempt
        {
            private readonly long _started = Stopwatch.GetTimestamp();

            public ConnectAttempt(IPEndPoint endPoint, IPAddress? localAddress)
            {
                Socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                Connect = Bind(Socket, localAddress) ?? Socket.ConnectAsync(endPoint);
                _ = Connect.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            public Socket Socket { get; }

            public Task Connect { get; }

            /// <summary>Null when bound (or nothing to bind); else the failed bind, reported as this attempt's failure.</summary>
            private static Task? Bind(Socket socket, IPAddress? localAddress)
            {
                if (localAddress == null)
                {
                    return null;
                }

                try
                {
                    socket.Bind(new IPEndPoint(localAddress, 0));
                    return null;
                }
                catch (SocketException e)
                {
                    var failed = new TaskCompletionSource<bool>();
                    failed.SetException(e);
                    return failed.Task;
                }
            }

            public TimeSpan Age => TimeSpan.FromTicks((Stopwatch.GetTimestamp() - _started) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
        }
    }
}
