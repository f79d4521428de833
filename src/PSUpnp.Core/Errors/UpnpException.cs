using System;

namespace PSUpnp
{
    /// <summary>
    /// The one error model of the engine. Every failure the engine reports is a subclass of this, carrying a stable
    /// ErrorId, a category, the object it concerns and what the user can do about it. The cmdlet layer turns it into
    /// an ErrorRecord in one place.
    /// </summary>
    public class UpnpException : Exception
    {
        public UpnpException(
            string errorId,
            UpnpErrorCategory category,
            string message,
            string? recommendedAction = null,
            object? target = null,
            Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Category = category;
            RecommendedAction = recommendedAction;
            Target = target;
        }

        /// <summary>Stable identifier without spaces, e.g. UpnpError718 or UpnpGatewayNotFound.</summary>
        public string ErrorId { get; }
        public UpnpErrorCategory Category { get; }
        public string? RecommendedAction { get; }
        /// <summary>What the error is about: a control URL, a mapping, a server address.</summary>
        public object? Target { get; }
    }
}
