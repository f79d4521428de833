using System;
using System.Globalization;

namespace PSUpnp.Net
{
    /// <summary>The transport failures of an exchange with a device, as the catalogue's typed errors.</summary>
    internal static class HttpErrors
    {
        public static UpnpTimeoutException Timeout(Uri url, TimeSpan timeout, int sends, Exception? inner = null) => new UpnpTimeoutException(
            string.Format(
                CultureInfo.InvariantCulture,
                "The device at {0} did not answer completely within {1:0.###} s{2}.",
                url,
                timeout.TotalSeconds,
                sends > 1 ? string.Format(CultureInfo.InvariantCulture, " (the request was sent {0} times)", sends) : string.Empty),
            timeout,
            url,
            inner);

        public static UpnpConnectionException ConnectionRefused(Uri url, Exception inner) => new UpnpConnectionException(
            UpnpErrors.ConnectionRefused,
            $"The device at {url.Authority} refused the connection: nothing listens on that port any more.",
            url,
            inner);

        public static UpnpConnectionException Unreachable(Uri url, Exception inner) => new UpnpConnectionException(
            UpnpErrors.HostUnreachable,
            $"The device at {url.Authority} cannot be reached: {inner.Message}",
            url,
            inner);

        public static UpnpNameNotResolvedException NameNotResolved(Uri url, Exception? inner) => new UpnpNameNotResolvedException(
            url.Host,
            $"The host name '{url.Host}' of {url} could not be resolved.",
            url,
            inner);

        public static UpnpException TooLarge(Uri url, long limit) => new UpnpException(
            UpnpErrors.ResponseTooLarge,
            string.Format(CultureInfo.InvariantCulture, "The answer from {0} is larger than the {1} bytes allowed; it was not read further.", url, limit),
            url);

        public static UpnpConnectionException Incomplete(Uri url, string what) => new UpnpConnectionException(
            UpnpErrors.IncompleteResponse,
            $"The device at {url.Authority} closed the connection in the middle of its answer ({what}).",
            url);

        public static UpnpException Malformed(Uri url, string what) => new UpnpException(
            UpnpErrors.MalformedHttp,
            $"The device at {url.Authority} sent an answer that is not valid HTTP: {what}.",
            url);
    }
}
