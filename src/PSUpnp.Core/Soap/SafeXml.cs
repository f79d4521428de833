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
    }
}
