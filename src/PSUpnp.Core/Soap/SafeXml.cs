using System;
using System.Xml;

namespace PSUpnp.Soap
{
    /// <summary>Reader settings for anything a device sends: no DTD, no resolver, so no external entities and no entity bombs.</summary>
    internal static class SafeXml
    {
        // XmlReaderSettings is only read after this point, which is safe from many threads.
        public static readonly XmlReaderSettings ReaderSettings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
            MaxCharactersFromEntities = 1024,
        };

        /// <summary>
        /// What XmlReader throws for a document it cannot read. Besides XmlException, System.Xml throws
        /// ArgumentOutOfRangeException for some malformed XML declarations (a surrogate pair in the version string:
        /// <c>&lt;?xml version="1.0😀"?&gt;</c>, found by the fuzz tests); it is a malformed document all the same.
        /// </summary>
        public static bool IsReaderFailure(Exception e) => e is XmlException || e is ArgumentOutOfRangeException;
    }
}
