using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Xml;
using System;
using PSUpnp.Text;

namespace PSUpnp.Soap
{
    /// <summary>
    /// Reads a SOAP answer by local names, whatever prefixes and namespaces the device chose, with or without an XML
    /// declaration. DTDs are prohibited and nothing is resolved: a device cannot make us expand entities or fetch files.
    /// </summary>
    internal static class SoapResponseParser
    {
        /// <summary>Exactly one of Response and Fault is set.</summary>
        internal readonly struct Result
        {
            public Result(SoapResponse? response, SoapFault? fault)
            {
                Response = response;
                Fault = fault;
            }

            public SoapResponse? Response { get; }
            public SoapFault? Fault { get; }
        }

        /// <summary>Throws UpnpException UpnpMalformedResponse when the body is not a SOAP envelope with a body.</summary>
        public static Result Parse(byte[] body, string actionName, Uri controlUrl)
        {
            if (body.Length == 0)
            {
                throw SoapErrors.Malformed(actionName, controlUrl, "the body is empty", null);
            }

            try
            {
                using var reader = XmlReader.Create(new MemoryStream(body, writable: false), SafeXml.ReaderSettings);
                var result = ReadEnvelope(reader, actionName, controlUrl);

                // Reading to the end proves the whole document well-formed, so a truncated answer is not taken as valid.
                while (reader.Read())
                {
                }

                return result;
            }
            catch (Exception ex) when (SafeXml.IsReaderFailure(ex))
            {
                throw SoapErrors.Malformed(actionName, controlUrl, ex.Message, ex);
            }
        }

        private static Result ReadEnvelope(XmlReader reader, string actionName, Uri controlUrl)
        {
            if (reader.MoveToContent() != XmlNodeType.Element || !Is(reader, "Envelope"))
            {
                throw SoapErrors.Malformed(actionName, controlUrl, "the root element is not a SOAP Envelope", null);
            }

            if (!reader.IsEmptyElement)
            {
                var envelopeDepth = reader.Depth;
                while (reader.Read() && reader.Depth > envelopeDepth)
                {
                    if (reader.NodeType == XmlNodeType.Element && reader.Depth == envelopeDepth + 1 && Is(reader, "Body"))
                    {
                        return ReadBody(reader, actionName, controlUrl);
                    }
                }
            }

            throw SoapErrors.Malformed(actionName, controlUrl, "the envelope has no Body", null);
        }

        private static Result ReadBody(XmlReader reader, string actionName, Uri controlUrl)
        {
            if (!reader.IsEmptyElement)
            {
                var bodyDepth = reader.Depth;
                while (reader.Read() && reader.Depth > bodyDepth)
                {
                    if (reader.NodeType == XmlNodeType.Element)
                    {
                        return Is(reader, "Fault")
                            ? new Result(null, ReadFault(reader))
                            : new Result(ReadResponse(reader), null);
                    }
                }
            }

            throw SoapErrors.Malformed(actionName, controlUrl, "the SOAP Body is empty", null);
        }

        private static SoapResponse ReadResponse(XmlReader reader)
        {
            var elementName = reader.LocalName;
            var arguments = new List<KeyValuePair<string, string>>();
            if (reader.IsEmptyElement)
            {
                return new SoapResponse(elementName, arguments, string.Empty);
            }

            var depth = reader.Depth;
            StringBuilder? bare = null;
            while (reader.Read() && reader.Depth > depth)
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        var name = reader.LocalName;
                        arguments.Add(new KeyValuePair<string, string>(name, ReadText(reader)));
                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                        (bare ??= new StringBuilder()).Append(reader.Value);
                        break;
                }
            }

            return new SoapResponse(elementName, arguments, bare?.ToString().Trim() ?? string.Empty);
        }

        // Looks for the UPnPError detail anywhere under Fault: devices nest it differently and spell faultcode in
        // mixed case (faultCode, faultString).
        private static SoapFault ReadFault(XmlReader reader)
        {
            string faultCode = string.Empty, faultString = string.Empty, errorCode = string.Empty, errorDescription = string.Empty;
            if (!reader.IsEmptyElement)
            {
                var depth = reader.Depth;
                while (reader.Read() && reader.Depth > depth)
                {
                    if (reader.NodeType != XmlNodeType.Element)
                    {
                        continue;
                    }

                    if (Is(reader, "faultcode"))
                    {
                        faultCode = ReadText(reader);
                    }
                    else if (Is(reader, "faultstring"))
                    {
                        faultString = ReadText(reader);
                    }
                    else if (Is(reader, "errorCode"))
                    {
                        errorCode = ReadText(reader);
                    }
                    else if (Is(reader, "errorDescription"))
                    {
                        errorDescription = ReadText(reader);
                    }
                }
            }

            int? code = int.TryParse(errorCode.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : (int?)null;
            return new SoapFault(code, errorDescription.Trim(), faultCode.Trim(), faultString.Trim());
        }

        /// <summary>
        /// The text directly inside the current element, untrimmed (a description keeps its spaces); nested elements
        /// are skipped. Leaves the reader on the element's end (or on the element itself when empty).
        /// </summary>
        internal static string ReadText(XmlReader reader)
        {
            if (reader.IsEmptyElement)
            {
                return string.Empty;
            }

            var depth = reader.Depth;
            string? single = null;
            StringBuilder? many = null;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
                {
                    break;
                }

                if (reader.Depth != depth + 1)
                {
                    continue;
                }

                switch (reader.NodeType)
                {
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.Whitespace:
                    case XmlNodeType.SignificantWhitespace:
                        if (single == null)
                        {
                            single = reader.Value;
                        }
                        else
                        {
                            (many ??= new StringBuilder(single)).Append(reader.Value);
                        }

                        break;
                }
            }

            return many?.ToString() ?? single ?? string.Empty;
        }

        private static bool Is(XmlReader reader, string localName) =>
            string.Equals(reader.LocalName, localName, StringComparison.OrdinalIgnoreCase);
    }
}
