using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
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
        /// Sends the request and reads the whole response within <paramref name="limits"/>.
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
            CancellationToken cancellationToken)
        {
            var request = HttpRequestEncoder.Encode(method, url, headers, body);
            cancellationToken.ThrowIfCancellationRequested();

            using var deadline = new CancellationTokenSource(limits.Timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                var address = await ResolveAsync(url, linked.Token).ConfigureAwait(false);
                using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

                // Socket operations on netstandard2.0 take no token: closing the socket is what ends them.
                using var registration = linked.Token.Register(static s => ((Socket)s!).Dispose(), socket);
                await socket.ConnectAsync(new IPEndPoint(address, url.Port)).ConfigureAwait(false);
                await SendAllAsync(socket, request).ConfigureAwait(false);

                var reader = new HttpResponseReader(url, limits);
                var buffer = new byte[16 * 1024];
                while (!reader.IsComplete)
                {
                    int read;
                    try
                    {
                        read = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), SocketFlags.None).ConfigureAwait(false);
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset && !linked.IsCancellationRequested)
                    {
                        // A reset after some bytes is a device dying mid-answer; Finish says what was missing.
                        break;
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    reader.Append(buffer, 0, read);
                }

                return reader.Finish();
            }
            catch (Exception e) when (linked.IsCancellationRequested && (e is ObjectDisposedException || e is SocketException || e is OperationCanceledException))
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw HttpErrors.Timeout(url, limits.Timeout, e);
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

        private static async Task SendAllAsync(Socket socket, byte[] request)
        {
            var sent = 0;
            while (sent < request.Length)
            {
                sent += await socket.SendAsync(new ArraySegment<byte>(request, sent, request.Length - sent), SocketFlags.None).ConfigureAwait(false);
            }
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
