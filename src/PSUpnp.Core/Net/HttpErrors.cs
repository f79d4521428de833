using System;
using System.Globalization;

namespace PSUpnp.Net
{
    /// <summary>The transport failures of an exchange with a device, each with its own ErrorId and advice.</summary>
    internal static class HttpErrors
    {
        public const string IncompleteId = "UpnpIncompleteResponse";

        public static UpnpException Timeout(Uri url, TimeSpan timeout, int sends, Exception? inner = null) => new UpnpException(
            "UpnpTimeout",
            UpnpErrorCategory.OperationTimeout,
            string.Format(
                CultureInfo.InvariantCulture,
                "The device at {0} did not answer completely within {1:0.###} s{2}.",
                url,
                timeout.TotalSeconds,
                sends > 1 ? string.Format(CultureInfo.InvariantCulture, " (the request was sent {0} times)", sends) : string.Empty),
            "Check that the router is reachable and UPnP is enabled; a busy or lossy network may need a longer -TimeoutSec.",
            url,
            inner);

        public static UpnpException ConnectionRefused(Uri url, Exception inner) => new UpnpException(
            "UpnpConnectionRefused",
            UpnpErrorCategory.ConnectionError,
            $"The device at {url.Authority} refused the connection: nothing listens on that port any more.",
            "The router may have restarted or changed its control port: discover the gateway again (Find-UpnpGateway).",
            url,
            inner);

        public static UpnpException Unreachable(Uri url, Exception inner) => new UpnpException(
            "UpnpHostUnreachable",
            UpnpErrorCategory.ConnectionError,
            $"The device at {url.Authority} cannot be reached: {inner.Message}",
            "Check the network connection to the router, then discover the gateway again.",
            url,
            inner);

        public static UpnpException NameNotResolved(Uri url, Exception inner) => new UpnpException(
            "UpnpHostNotResolved",
            UpnpErrorCategory.ConnectionError,
            $"The host name '{url.Host}' of {url} could not be resolved.",
            "Use the router's IP address in the URL.",
            url,
            inner);

        public static UpnpException TooLarge(Uri url, long limit) => new UpnpException(
            "UpnpResponseTooLarge",
            UpnpErrorCategory.LimitsExceeded,
            string.Format(CultureInfo.InvariantCulture, "The answer from {0} is larger than the {1} bytes allowed; it was not read further.", url, limit),
            "A router does not send answers this large: check that the URL points to the router.",
            url);

        public static UpnpException Incomplete(Uri url, string what) => new UpnpException(
            IncompleteId,
            UpnpErrorCategory.ConnectionError,
            $"The device at {url.Authority} closed the connection in the middle of its answer ({what}).",
            "Try again; if it keeps happening the router's UPnP service may be failing.",
            url);

        public static UpnpException Malformed(Uri url, string what) => new UpnpException(
            "UpnpMalformedHttp",
            UpnpErrorCategory.ProtocolError,
            $"The device at {url.Authority} sent an answer that is not valid HTTP: {what}.",
            "Check that the URL points to the router's UPnP service.",
            url);
    }
}
