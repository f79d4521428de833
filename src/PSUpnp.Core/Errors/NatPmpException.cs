using System;

namespace PSUpnp
{
    /// <summary>
    /// A NAT-PMP failure: the router refused with a result code (<see cref="ResultCode"/>), or an answer broke the wire
    /// format (ErrorId NatPmpMalformedResponse; <see cref="ResultCode"/> is null). Silence is a
    /// <see cref="UpnpTimeoutException"/> with ErrorId NatPmpTimeout.
    /// </summary>
    public sealed class NatPmpException : UpnpException
    {
        internal NatPmpException(UpnpErrorEntry entry, string message, int? resultCode, object? target = null, Exception? innerException = null)
            : base(entry, message, target, innerException)
        {
            ResultCode = resultCode;
        }

        /// <summary>The result code the router sent (RFC 6886 section 3.5), or null when no usable answer carried one.</summary>
        public int? ResultCode { get; }

        internal static NatPmpException Malformed(string what) => new NatPmpException(
            UpnpErrors.NatPmpMalformedResponse,
            "The NAT-PMP answer is malformed: " + what,
            null);
    }
}
