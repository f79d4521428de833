using System;
using System.Management.Automation;

namespace PSUpnp.Commands
{
    /// <summary>The one place where an engine error becomes a PowerShell ErrorRecord.</summary>
    internal static class ErrorRecordFactory
    {
        /// <summary>
        /// ErrorId and message come from the engine. The target is the input object the cmdlet was working on (the
        /// mapping piped in, the request, the gateway), so a script can tell which of its objects failed; only when
        /// there is none, what the engine says the error is about (a control URL, a server). Never the cmdlet itself.
        /// </summary>
        public static ErrorRecord Create(UpnpException exception, object? inputObject)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.Category), inputObject ?? exception.Target);
            record.ErrorDetails = new ErrorDetails(exception.Message)
            {
                RecommendedAction = exception.RecommendedAction ?? string.Empty,
            };
            return record;
        }

        /// <summary>UpnpErrorCategory names its members as ErrorCategory does; a surface test keeps it that way.</summary>
        public static ErrorCategory CategoryOf(UpnpErrorCategory category) =>
            Enum.TryParse<ErrorCategory>(category.ToString(), out var mapped) ? mapped : ErrorCategory.NotSpecified;
    }
}
