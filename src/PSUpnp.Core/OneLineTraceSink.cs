using System;
using System.Text;

namespace PSUpnp
{
    /// <summary>
    /// Keeps every trace message on one line: line breaks and other control characters that a device put into a
    /// header, a friendly name or an argument are written as escapes (\r, \n, \u0007), so that one event is one line
    /// and a device cannot forge lines of its own in the trace.
    /// </summary>
    internal sealed class OneLineTraceSink : ITraceSink
    {
        private readonly ITraceSink _inner;

        public OneLineTraceSink(ITraceSink inner)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        }

        public void Trace(string message) => _inner.Trace(Clean(message));

        /// <summary>The message with every control, line or paragraph separator character escaped; unchanged when there is none.</summary>
        public static string Clean(string? message)
        {
            if (message == null)
            {
                return string.Empty;
            }

            var i = 0;
            while (i < message.Length && !NeedsEscape(message[i]))
            {
                i++;
            }

            if (i == message.Length)
            {
                return message;
            }

            var sb = new StringBuilder(message.Length + 16).Append(message, 0, i);
            for (; i < message.Length; i++)
            {
                var c = message[i];
                if (!NeedsEscape(c))
                {
                    sb.Append(c);
                }
                else if (c == '\r')
                {
                    sb.Append("\\r");
                }
                else if (c == '\n')
                {
                    sb.Append("\\n");
                }
                else
                {
                    sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            return sb.ToString();
        }

        private static bool NeedsEscape(char c) =>
            (c < ' ' && c != '\t') || c == '\x7f' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }
}
