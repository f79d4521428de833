using System;

namespace PSUpnp.Stun
{
    /// <summary>
    /// A STUN failure: a message that breaks the wire format, a server address that is not one, or a socket the test
    /// cannot use. Silence from a server during behaviour discovery is data, not an error; a server name that does
    /// not resolve is a <see cref="UpnpNameNotResolvedException"/>, as any other.
    /// </summary>
    public sealed class StunException : UpnpException
    {
        internal StunException(UpnpErrorEntry entry, string message, object? target = null, Exception? innerException = null)
            : base(entry, message, target, innerException)
        {
        }

        internal static StunException Malformed(string what) => new StunException(
            UpnpErrors.StunMalformedMessage,
            "The STUN message is malformed: " + what);
    }
}
