using System;

namespace PSUpnp
{
    /// <summary>
    /// The one error model of the engine. Every failure the engine reports is this or a subclass, built from an entry
    /// of <see cref="UpnpErrors"/>: a stable ErrorId, a category, the object it concerns and what the user can do about
    /// it. The cmdlet layer turns it into an ErrorRecord in one place. Callers that must tell failures apart catch the
    /// subclasses (<see cref="UpnpTimeoutException"/>, <see cref="UpnpFaultException"/>, ...).
    /// </summary>
    public class UpnpException : Exception
    {
        internal UpnpException(UpnpErrorEntry entry, string message, object? target = null, Exception? innerException = null)
            : this(entry, entry.Id, entry.Category ?? UpnpErrorCategory.NotSpecified, entry.RecommendedAction, message, target, innerException)
        {
        }

        /// <summary>A member of a numbered family, or an entry whose category or advice depends on the case.</summary>
        private protected UpnpException(
            UpnpErrorEntry entry,
            string errorId,
            UpnpErrorCategory category,
            string? recommendedAction,
            string message,
            object? target,
            Exception? innerException)
            : base(message, innerException)
        {
            Entry = entry ?? throw new ArgumentNullException(nameof(entry));
            ErrorId = errorId;
            Category = category;
            RecommendedAction = recommendedAction ?? entry.RecommendedAction;
            Target = target;
        }

        /// <summary>The catalogue entry this error is an instance of.</summary>
        public UpnpErrorEntry Entry { get; }

        /// <summary>Stable identifier without spaces, e.g. UpnpError718 or UpnpGatewayNotFound.</summary>
        public string ErrorId { get; }
        public UpnpErrorCategory Category { get; }
        public string? RecommendedAction { get; }
        /// <summary>What the error is about: a control URL, a mapping, a server address.</summary>
        public object? Target { get; }

        /// <summary>
        /// An error of an entry whose category is the cause's (a failed renewal reports the timeout or fault behind it).
        /// </summary>
        internal static UpnpException CausedBy(UpnpErrorEntry entry, string message, UpnpException cause) =>
            new UpnpException(entry, entry.Id, cause.Category, cause.RecommendedAction, message, cause.Target, cause);

        /// <summary>The same error about <paramref name="target"/>, for a reader that learns where the data came from only later.</summary>
        internal UpnpException About(object target) =>
            new UpnpException(Entry, ErrorId, Category, RecommendedAction, Message, target, InnerException);
    }
}
