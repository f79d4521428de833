using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Net
{
    /// <summary>
    /// One HTTP/1.1 request over its own TCP connection (Connection: close), with no proxy and no redirect
    /// following. Devices are on the local network: a system proxy must never see their traffic, and a
    /// redirect to another host must never be followed.
    /// </summary>
    public static class HttpExchange
    {
        /// <summary>
        /// Sends the request and reads the whole response within <paramref name="limits"/>, retrying as
        /// <see cref="HttpLimits.Retry"/> allows (traced to <paramref name="trace"/>).
        /// Throws UpnpException: UpnpConnectionRefused, UpnpHostUnreachable, UpnpTimeout, UpnpResponseTooLarge,
        /// UpnpIncompleteResponse, UpnpMalformedHttp; OperationCanceledException when <paramref name="cancellationToken"/>
        /// fires. A non-2xx status (a redirect included) is returned, not thrown: the caller decides what it means.
        /// </summary>
        public static async Task<HttpResponse> SendAsync(
            string method,
            Uri url,
            IReadOnlyList<KeyValuePair<string, string>> headers,
            byte[]? body,
            HttpLimits limits,
            ITraceSink? trace,
            CancellationToken cancellationToken)
        {
            var request = HttpRequestEncoder.Encode(method, url, headers, body);
            cancellationToken.ThrowIfCancellationRequested();
            trace ??= NullTraceSink.Instance;

            using var deadline = new CancellationTokenSource(limits.Timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            var sends = 0;
            try
            {
                var endPoint = new IPEndPoint(await ResolveAsync(url, linked.Token).ConfigureAwait(false), url.Port);
                while (true)
                {
                    sends++;
                    var wait = limits.Retry.WaitBeforeResend(sends);
                    try
                    {
                        var response = await ExchangeOnceAsync(endPoint, url, request, limits, wait, trace, linked.Token).ConfigureAwait(false);
                        return sends == 1 ? response : response.WithSends(sends);
                    }
                    catch (SilentDevice) when (!linked.IsCancellationRequested)
                    {
                        trace.Trace(Said(method, url, sends, "no answer for " + Seconds(wait)));
                    }
                    catch (UpnpException e) when (e.ErrorId == HttpErrors.IncompleteId && sends < limits.Retry.MaxSends && !linked.IsCancellationRequested)
                    {
                        trace.Trace(Said(method, url, sends, e.Message));
                    }
                }
            }
            catch (Exception e) when (linked.IsCancellationRequested && (e is ObjectDisposedException || e is SocketException || e is OperationCanceledException || e is SilentDevice))
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw HttpErrors.Timeout(url, limits.Timeout, sends, e);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                throw HttpErrors.ConnectionRefused(url, e);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                throw HttpErrors.Incomplete(url, "the connection was reset");
            }
            catch (SocketException e)
            {
                throw HttpErrors.Unreachable(url, e);
            }
        }

        /// <summary>The same, with no trace of the retries.</summary>
        public static Task<HttpResponse> SendAsync(
            string method,
            Uri url,
            IReadOnlyList<KeyValuePair<string, string>> headers,
            byte[]? body,
            HttpLimits limits,
            CancellationToken cancellationToken) =>
            SendAsync(method, url, headers, body, limits, null, cancellationToken);

        /// <summary>
        /// One send: a connection, the request, the answer. Throws <see cref="SilentDevice"/> when no byte arrives for
        /// <paramref name="wait"/> (the connection is then closed, so the request can go again on a fresh one).
        /// </summary>
        private static async Task<HttpResponse> ExchangeOnceAsync(IPEndPoint endPoint, Uri url, byte[] request, HttpLimits limits, TimeSpan wait, ITraceSink trace, CancellationToken token)
        {
            using var socket = await ConnectAsync(endPoint, url, limits.Retry, trace, token).ConfigureAwait(false);
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(token);

            // Socket operations on netstandard2.0 take no token: closing the socket is what ends them.
            using var registration = silence.Token.Register(static s => ((Socket)s!).Dispose(), socket);
            await SendAllAsync(socket, request).ConfigureAwait(false);
            silence.CancelAfter(wait);

            var reader = new HttpResponseReader(url, limits);
            var buffer = new byte[16 * 1024];
            while (!reader.IsComplete)
            {
                int read;
                try
                {
                    read = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), SocketFlags.None).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset && !silence.IsCancellationRequested)
                {
                    // A reset after some bytes is a device dying mid-answer; Finish says what was missing.
                    break;
                }
                catch (Exception e) when (silence.IsCancellationRequested && !token.IsCancellationRequested && (e is ObjectDisposedException || e is SocketException))
                {
                    throw new SilentDevice();
                }

                if (read == 0)
                {
                    break;
                }

                reader.Append(buffer, 0, read);
                silence.CancelAfter(wait);
            }

            if (!reader.IsComplete && silence.IsCancellationRequested)
            {
                // The socket was closed under the read, which then saw an end of stream rather than an error.
                token.ThrowIfCancellationRequested();
                throw new SilentDevice();
            }

            return reader.Finish();
        }

        /// <summary>
        /// Connects, starting a further attempt beside the pending ones every ConnectAttemptDelay, and returns the first
        /// socket to connect; the others are closed. A refusal ends all attempts at once: nothing listens on that port.
        /// </summary>
        private static async Task<Socket> ConnectAsync(IPEndPoint endPoint, Uri url, HttpRetryPolicy retry, ITraceSink trace, CancellationToken token)
        {
            var pending = new List<(Socket Socket, Task Connect)>(1);
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
                            trace.Trace("HTTP: no connection to " + url.Authority + " yet; opening connection attempt " + (started + 1).ToString(CultureInfo.InvariantCulture) + " beside the others");
                        }

                        pending.Add(StartConnect(endPoint));
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
                foreach (var (socket, _) in pending)
                {
                    socket.Dispose();
                }
            }
        }

        private static (Socket Socket, Task Connect) StartConnect(IPEndPoint endPoint)
        {
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var connect = socket.ConnectAsync(endPoint);

            // An attempt that loses the race is closed while connecting; its failure is expected, and observed here.
            _ = connect.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return (socket, connect);
        }

        private static string Said(string method, Uri url, int send, string what) =>
            "HTTP " + method + " " + url + ": send " + send.ToString(CultureInfo.InvariantCulture) + " got " + what.TrimEnd('.') + "; sending the request again on a new connection";

        private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

        private static async Task SendAllAsync(Socket socket, byte[] request)
        {
            var sent = 0;
            while (sent < request.Length)
            {
                sent += await socket.SendAsync(new ArraySegment<byte>(request, sent, request.Length - sent), SocketFlags.None).ConfigureAwait(false);
            }
        }

        /// <summary>A send that got no byte of answer within its wait; the next send follows.</summary>
        private sealed class SilentDevice : Exception
        {
        }

        private static async Task<IPAddress> ResolveAsync(Uri url, CancellationToken cancellationToken)
        {
            if (IPAddress.TryParse(url.DnsSafeHost, out var literal))
            {
                return literal;
            }

            // Dns.GetHostAddressesAsync takes no token on netstandard2.0: stop waiting for it when cancelled.
            var lookup = Dns.GetHostAddressesAsync(url.DnsSafeHost);
            var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
            if (await Task.WhenAny(lookup, cancelled).ConfigureAwait(false) == cancelled)
            {
                _ = lookup.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
                throw new OperationCanceledException(cancellationToken);
            }

            IPAddress[] addresses;
            try
            {
                addresses = await lookup.ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw HttpErrors.NameNotResolved(url, e);
            }

            foreach (var a in addresses)
            {
                if (a.AddressFamily == AddressFamily.InterNetwork)
                {
                    return a;
                }
            }

            if (addresses.Length == 0)
            {
                throw HttpErrors.NameNotResolved(url, new SocketException((int)SocketError.HostNotFound));
            }

            return addresses[0];
        }
    }
}
