using System.Globalization;
using System.Text;

namespace PSUpnp.Text
{
    /// <summary>Escapes argument values for element content and attributes, refusing what XML 1.0 cannot carry.</summary>
    internal static class XmlText
    {
        /// <summary>
        /// Appends <paramref name="value"/> escaped. CR is written as a character reference because a parser would
        /// otherwise normalise it to LF and the value would not arrive byte-exact.
        /// </summary>
        public static void AppendEscaped(StringBuilder sb, string value, string argumentName)
        {
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                switch (c)
                {
                    case '&': sb.Append("&amp;"); continue;
                    case '<': sb.Append("&lt;"); continue;
                    case '>': sb.Append("&gt;"); continue;
                    case '"': sb.Append("&quot;"); continue;
                    case '\'': sb.Append("&apos;"); continue;
                    case '\r': sb.Append("&#13;"); continue;
                    case '\t':
                    case '\n':
                        sb.Append(c);
                        continue;
                }

                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    sb.Append(c).Append(value[i + 1]);
                    i++;
                    continue;
                }

                if (c < 0x20 || char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
                {
                    throw InvalidCharacter(argumentName, c, i);
                }

                sb.Append(c);
            }
        }

        private static UpnpException InvalidCharacter(string argumentName, char c, int index) =>
            new UpnpException(
                UpnpErrors.InvalidXmlCharacter,
                string.Format(
                    CultureInfo.InvariantCulture,
                    "The value of {0} contains the character U+{1:X4} at position {2}, which an XML 1.0 SOAP request cannot carry.",
                    argumentName,
                    (int)c,
                    index),
                argumentName);
    }
}
