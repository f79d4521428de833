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
    /// <summary>
    /// One HTTP/1.1 request over its own TCP connection (Connection: close), with no proxy and no redirect
    /// following. Devices are on the local network: a system proxy must never see their traffic, and a
    /// redirect to another host must never be followed. Through loss, the connection is attempted and the request
    /// sent again as <see cref="HttpRetryPolicy"/> says, always within the exchange's own bound.
    /// </summary>
    internal static class HttpExchange
    {
        /// <summary>
        /// Sends the request and reads the whole response within <paramref name="limits"/>, sending it again as
        /// <see cref="HttpLimits.Retry"/> allows (each resend traced to <paramref name="trace"/>).
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
            var retry = limits.Retry;
            var overlapping = retry.Resend == HttpResend.Overlapping;

            using var deadline = new CancellationTokenSource(limits.Timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            var running = new List<Send>(1);
            var all = new List<Send>(1);
            var sends = 0;
            try
            {
                var endPoint = new IPEndPoint(await ResolveAsync(url, linked.Token).ConfigureAwait(false), url.Port);
                Send Start()
                {
                    sends++;

                    // An overlapped copy is never abandoned for silence: the loop below starts another beside it instead.
                    var wait = overlapping ? Timeout.InfiniteTimeSpan : retry.WaitBeforeResend(sends);
                    var send = new Send(linked.Token, (progress, token) => ExchangeOnceAsync(endPoint, url, request, limits, wait, progress, trace!, token));
                    running.Add(send);
                    all.Add(send);
                    return send;
                }

                var newest = Start();
                while (true)
                {
                    var waitFor = new Task[running.Count + 1];
                    for (var i = 0; i < running.Count; i++)
                    {
                        waitFor[i] = running[i].Exchange;
                    }

                    var silence = overlapping && sends < retry.MaxSends ? retry.OverlapWait - newest.Silence : Timeout.InfiniteTimeSpan;
                    var timer = Task.Delay(silence == Timeout.InfiniteTimeSpan || silence > TimeSpan.Zero ? silence : TimeSpan.Zero, linked.Token);
                    waitFor[running.Count] = timer;
                    var done = await Task.WhenAny(waitFor).ConfigureAwait(false);
                    if (done == timer)
                    {
                        linked.Token.ThrowIfCancellationRequested();
                        if (newest.Silence >= retry.OverlapWait)
                        {
                            trace.Trace(Said(method, url, sends, "no answer for " + Seconds(retry.OverlapWait), "beside the earlier ones"));
                            newest = Start();
                        }

                        continue;
                    }

                    var finished = running[Array.IndexOf(waitFor, done)];
                    running.Remove(finished);
                    Exception error;
                    try
                    {
                        var response = await finished.Exchange.ConfigureAwait(false);
                        return sends == 1 ? response : response.WithSends(sends);
                    }
                    catch (Exception e)
                    {
                        // Faulted, or cancelled with the whole exchange (then the handlers below say which way).
                        error = e;
                    }

                    var lost = !linked.IsCancellationRequested
                        && (error is SilentDevice || (error is UpnpConnectionException c && c.AnswerCutOff));
                    if (lost && sends < retry.MaxSends)
                    {
                        trace.Trace(Said(method, url, sends, error is SilentDevice ? "no answer for " + Seconds(retry.ResponseWait) : error.Message, "on a new connection"));
                        newest = Start();
                        continue;
                    }

                    if (lost && running.Count > 0)
                    {
                        // Overlapped copies are still on their way; one of them may yet be answered.
                        continue;
                    }

                    ExceptionDispatchInfo.Capture(error).Throw();
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
            finally
            {
                // Copies still running lost the race (or the exchange failed): close them. Finished ones just free their token.
                foreach (var send in all)
                {
                    send.Abandon();
                }
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
        private static async Task<HttpResponse> ExchangeOnceAsync(IPEndPoint endPoint, Uri url, byte[] request, HttpLimits limits, TimeSpan wait, Send.ProgressMark progress, ITraceSink trace, CancellationToken token)
        {
            using var socket = await HttpConnector.ConnectAsync(endPoint, url, limits.Retry, trace, token, limits.LocalAddress).ConfigureAwait(false);
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(token);

            // Socket operations on netstandard2.0 take no token: closing the socket is what ends them.
            using var registration = silence.Token.Register(static s => ((Socket)s!).Dispose(), socket);
            await SendAllAsync(socket, request).ConfigureAwait(false);
            progress.Mark();
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
                progress.Mark();
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

        /// <summary>One copy of the request on its own connection, with its own cancellation and the time it last made progress.</summary>
        private sealed class Send
        {
            private readonly CancellationTokenSource _cancel;
            private readonly ProgressMark _progress = new ProgressMark();

            public Send(CancellationToken token, Func<ProgressMark, CancellationToken, Task<HttpResponse>> exchange)
            {
                _cancel = CancellationTokenSource.CreateLinkedTokenSource(token);
                Exchange = exchange(_progress, _cancel.Token);

                // A copy abandoned once another has answered fails as it is closed; that failure is expected, and observed here.
                _ = Exchange.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            public Task<HttpResponse> Exchange { get; }

            /// <summary>Since the send started, the request left, or the last byte of answer arrived.</summary>
            public TimeSpan Silence => _progress.Since;

            public void Abandon()
            {
                _cancel.Cancel();
                _ = Exchange.ContinueWith(static (_, c) => ((CancellationTokenSource)c!).Dispose(), _cancel, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            /// <summary>Written by the exchange, read by the loop that decides on another copy.</summary>
            public sealed class ProgressMark
            {
                private long _last = Stopwatch.GetTimestamp();

                public TimeSpan Since => TimeSpan.FromTicks((Stopwatch.GetTimestamp() - Interlocked.Read(ref _last)) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);

                public void Mark() => Interlocked.Exchange(ref _last, Stopwatch.GetTimestamp());
            }
        }

        private static string Said(string method, Uri url, int send, string what, string how) =>
            "HTTP " + method + " " + url + ": send " + send.ToString(CultureInfo.InvariantCulture) + " got " + what.TrimEnd('.') + "; sending the request again " + how;

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

            IPAddress[] addresses;
            try
            {
                addresses = await NameLookup.GetAddressesAsync(url.DnsSafeHost, cancellationToken).ConfigureAwait(false);
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
