using System;
using System.Text;
using System.Xml;

namespace PSUpnp.Text
{
    /// <summary>
    /// Reading XML a device sends: no DTD, no resolver, so no external entities and no entity bombs, and the failures
    /// that follow from it told apart. Writing it (escaping) is <see cref="XmlText"/>.
    /// </summary>
    internal static class SafeXml
    {
        // XmlReaderSettings is only read after this point, which is safe from many threads.

        /// <summary>For SOAP responses.</summary>
        public static readonly XmlReaderSettings ReaderSettings = Settings(ignoreWhitespace: false, maxCharactersFromEntities: 1024);

        /// <summary>For device descriptions, whose layout whitespace means nothing.</summary>
        public static readonly XmlReaderSettings DescriptionReaderSettings = Settings(ignoreWhitespace: true, maxCharactersFromEntities: 0);

        /// <summary>
        /// What XmlReader throws for a document it cannot read. Besides XmlException, System.Xml throws
        /// ArgumentOutOfRangeException for some malformed XML declarations (a surrogate pair in the version string:
        /// <c>&lt;?xml version="1.0😀"?&gt;</c>, found by the fuzz tests); it is a malformed document all the same.
        /// </summary>
        public static bool IsReaderFailure(Exception e) => e is XmlException || e is ArgumentOutOfRangeException;

        /// <summary>
        /// After a reader failure, tells a prohibited DTD from other malformed XML: walks the prolog lexically (byte order mark, XML declaration, comments, processing instructions,
        /// whitespace) and says whether the first markup after it is a document type declaration.
        /// </summary>
        public static bool PrologHasDoctype(byte[] body, int offset, int count)
        {
            var text = DecodeStart(body, offset, Math.Min(count, 8192));
            var i = 0;
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                i = 1;
            }

            while (i < text.Length)
            {
                if (char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
                else if (string.CompareOrdinal(text, i, "<?", 0, 2) == 0)
                {
                    var end = text.IndexOf("?>", i + 2, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        return false;
                    }

                    i = end + 2;
                }
                else if (string.CompareOrdinal(text, i, "<!--", 0, 4) == 0)
                {
                    var end = text.IndexOf("-->", i + 4, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        return false;
                    }

                    i = end + 3;
                }
                else
                {
                    return string.CompareOrdinal(text, i, "<!DOCTYPE", 0, 9) == 0;
                }
            }

            return false;
        }

        private static string DecodeStart(byte[] body, int offset, int count)
        {
            if (count >= 2 && body[offset] == 0xFF && body[offset + 1] == 0xFE)
            {
                return Encoding.Unicode.GetString(body, offset + 2, count - 2);
            }

            if (count >= 2 && body[offset] == 0xFE && body[offset + 1] == 0xFF)
            {
                return Encoding.BigEndianUnicode.GetString(body, offset + 2, count - 2);
            }

            // Every ASCII-compatible encoding spells the prolog's markup the same way.
            return Encoding.UTF8.GetString(body, offset, count);
        }

        private static XmlReaderSettings Settings(bool ignoreWhitespace, int maxCharactersFromEntities) => new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = ignoreWhitespace,
            CloseInput = true,
            MaxCharactersFromEntities = maxCharactersFromEntities,
        };
    }
}
