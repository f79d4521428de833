using System;
using System.Management.Automation;

namespace PSUpnp.Commands
{
    /// <summary>The one place where an engine error becomes a PowerShell ErrorRecord.</summary>
    internal static class ErrorRecordFactory
    {
        /// <summary>
        /// ErrorId and message come from the engine; the target is what the error is about, else the input object
        /// the cmdlet was working on (never the cmdlet itself).
        /// </summary>
        public static ErrorRecord Create(UpnpException exception, object? inputObject)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.Category), exception.Target ?? inputObject);
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
