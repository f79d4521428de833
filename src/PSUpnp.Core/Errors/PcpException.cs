using System;

namespace PSUpnp
{
    /// <summary>
    /// A PCP failure: the router refused with a result code (<see cref="ResultCode"/>, and <see cref="Lifetime"/>: how
    /// long the router says the refusal holds), or an answer broke the wire format (ErrorId PcpMalformedResponse;
    /// both null). A router that does not speak PCP version 2 is a <see cref="PcpUnsupportedVersionException"/>;
    /// silence is a <see cref="UpnpTimeoutException"/> with ErrorId PcpTimeout.
    /// </summary>
    public sealed class PcpException : UpnpException
    {
        internal PcpException(UpnpErrorEntry entry, string message, int? resultCode, TimeSpan? lifetime, object? target = null, Exception? innerException = null)
            : base(entry, message, target, innerException)
        {
            ResultCode = resultCode;
            Lifetime = lifetime;
        }

        /// <summary>The result code the router sent (RFC 6887 section 7.4), or null when no usable answer carried one.</summary>
        public int? ResultCode { get; }

        /// <summary>How long the router says the refusal holds (short for a passing failure, long for a policy).</summary>
        public TimeSpan? Lifetime { get; }

        internal static PcpException Malformed(string what) => new PcpException(
            UpnpErrors.PcpMalformedResponse,
            "The PCP answer is malformed: " + what,
            null,
            null);
    }

    /// <summary>
    /// The router does not speak PCP version 2 (UNSUPP_VERSION, RFC 6887 section 9). <see cref="ServerVersion"/> is
    /// the version it speaks: 0 means a NAT-PMP server answered, so NAT-PMP is the way to ask it.
    /// </summary>
    public sealed class PcpUnsupportedVersionException : UpnpException
    {
        internal PcpUnsupportedVersionException(string message, int serverVersion, object? target)
            : base(UpnpErrors.PcpUnsupportedVersion, message, target)
        {
            ServerVersion = serverVersion;
        }

        public int ServerVersion { get; }

        /// <summary>True when the router answered as a NAT-PMP server (version 0).</summary>
        public bool SpeaksNatPmp => ServerVersion == 0;
    }
}
