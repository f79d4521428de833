using System;
using System.Collections.Generic;
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
        /// Throws UpnpException: UpnpConnectionFailed, UpnpTimeout, UpnpResponseTooLarge, UpnpMalformedHttp;
        /// OperationCanceledException when <paramref name="cancellationToken"/> fires. A non-2xx status is returned, not thrown.
        /// </summary>
        public static Task<HttpResponse> SendAsync(
            string method,
            Uri url,
            IReadOnlyList<KeyValuePair<string, string>> headers,
            byte[]? body,
            HttpLimits limits,
            CancellationToken cancellationToken)
        {
            throw new NotImplementedException();
        }
    }
}
