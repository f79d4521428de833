using System.Collections.Generic;
using System.IO;
using System.Xml;
using System;
using PSUpnp.Text;

namespace PSUpnp.Soap
{
    /// <summary>
    /// Reads the PortMappingList document that IGD v2 GetListOfPortMappings returns, escaped, in NewPortListing.
    /// Each PortMappingEntry becomes a set of name/value arguments, matched by local name like any SOAP answer.
    /// </summary>
    internal static class PortMappingListParser
    {
        public static IReadOnlyList<SoapResponse> Parse(string document, string actionName, Uri controlUrl)
        {
            var entries = new List<SoapResponse>();
            if (string.IsNullOrWhiteSpace(document))
            {
                // Some devices answer an empty listing rather than a document with no entries.
                return entries;
            }

            try
            {
                using var reader = XmlReader.Create(new StringReader(document), SafeXml.ReaderSettings);
                if (reader.MoveToContent() != XmlNodeType.Element
                    || !string.Equals(reader.LocalName, "PortMappingList", StringComparison.OrdinalIgnoreCase))
                {
                    throw SoapErrors.Malformed(actionName, controlUrl, "NewPortListing is not a PortMappingList document", null);
                }

                while (reader.Read())
                {
                    if (reader.NodeType == XmlNodeType.Element
                        && string.Equals(reader.LocalName, "PortMappingEntry", StringComparison.OrdinalIgnoreCase))
                    {
                        entries.Add(ReadEntry(reader));
                    }
                }

                return entries;
            }
            catch (Exception ex) when (SafeXml.IsReaderFailure(ex))
            {
                throw SoapErrors.Malformed(actionName, controlUrl, "NewPortListing: " + ex.Message, ex);
            }
        }

        private static SoapResponse ReadEntry(XmlReader reader)
        {
            var fields = new List<KeyValuePair<string, string>>(8);
            if (!reader.IsEmptyElement)
            {
                var depth = reader.Depth;
                while (reader.Read() && reader.Depth > depth)
                {
                    if (reader.NodeType == XmlNodeType.Element)
                    {
                        var name = reader.LocalName;
                        fields.Add(new KeyValuePair<string, string>(name, SoapResponseParser.ReadText(reader)));
                    }
                }
            }

            return new SoapResponse("PortMappingEntry", fields, string.Empty);
        }
    }
}
