using System;

namespace PSUpnp
{
    /// <summary>No complete answer within the time allowed (-TimeoutSec): from a router, or from discovery as a whole.</summary>
    public sealed class UpnpTimeoutException : UpnpException
    {
        internal UpnpTimeoutException(string message, TimeSpan timeout, object? target, Exception? innerException = null)
            : base(UpnpErrors.Timeout, message, target, innerException)
        {
            Timeout = timeout;
        }

        /// <summary>Silence from a protocol with its own advice (NAT-PMP, PCP): the same type, its own entry.</summary>
        internal UpnpTimeoutException(UpnpErrorEntry entry, string message, TimeSpan timeout, object? target)
            : base(entry, message, target, null)
        {
            Timeout = timeout;
        }

        /// <summary>The bound that ran out.</summary>
        public TimeSpan Timeout { get; }
    }

    /// <summary>
    /// The connection to a device failed: refused, unreachable, no route, or closed before the answer was complete.
    /// With a timeout or HTTP 404, what a restarted, replaced or renumbered router looks like.
    /// </summary>
    public sealed class UpnpConnectionException : UpnpException
    {
        internal UpnpConnectionException(UpnpErrorEntry entry, string message, object? target, Exception? innerException = null)
            : base(entry, message, target, innerException)
        {
        }

        /// <summary>The device closed or reset the connection before its answer was complete (it may have acted on the request).</summary>
        public bool AnswerCutOff => ReferenceEquals(Entry, UpnpErrors.IncompleteResponse);
    }

    /// <summary>A host name (of a device URL or a STUN server) that resolves to no usable address.</summary>
    public sealed class UpnpNameNotResolvedException : UpnpException
    {
        internal UpnpNameNotResolvedException(string hostName, string message, object? target, Exception? innerException = null)
            : base(UpnpErrors.NameNotResolved, message, target, innerException)
        {
            HostName = hostName;
        }

        public string HostName { get; }
    }

    /// <summary>A device answered with an HTTP status that is not success and not a SOAP fault (ErrorId UpnpHttpError404, ...).</summary>
    public sealed class UpnpHttpStatusException : UpnpException
    {
        internal UpnpHttpStatusException(int statusCode, string message, Uri url)
            : base(
                UpnpErrors.HttpError,
                UpnpErrors.HttpError.IdFor(statusCode),
                UpnpErrors.CategoryOfStatus(statusCode),
                UpnpErrors.ActionForStatus(statusCode),
                message,
                url,
                null)
        {
            StatusCode = statusCode;
        }

        public int StatusCode { get; }
    }

    /// <summary>The router's answer to an action is not a usable SOAP response (or an entry in it is unreadable).</summary>
    public sealed class UpnpMalformedResponseException : UpnpException
    {
        internal UpnpMalformedResponseException(string message, object? target, Exception? innerException = null)
            : base(UpnpErrors.MalformedResponse, message, target, innerException)
        {
        }
    }
}
