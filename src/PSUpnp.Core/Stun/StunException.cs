using System;

namespace PSUpnp.Stun
{
    /// <summary>
    /// A STUN failure: a message that breaks the wire format, a server that cannot be resolved or reached, or an
    /// option the engine cannot honour. Silence from a server during behaviour discovery is data, not an error.
    /// </summary>
    public sealed class StunException : UpnpException
    {
        public const string MalformedMessage = "StunMalformedMessage";
        public const string FingerprintMismatch = "StunFingerprintMismatch";
        public const string ServerNotResolved = "StunServerNotResolved";
        public const string InvalidServer = "StunInvalidServer";
        public const string SocketFailed = "StunSocketFailed";

        public StunException(
            string errorId,
            UpnpErrorCategory category,
            string message,
            string? recommendedAction = null,
            object? target = null,
            Exception? innerException = null)
            : base(errorId, category, message, recommendedAction, target, innerException)
        {
        }

        internal static StunException Malformed(string what) => new StunException(
            MalformedMessage,
            UpnpErrorCategory.InvalidData,
            "The STUN message is malformed: " + what,
            "The sender is not a conforming STUN server; use another server.");
    }
}
