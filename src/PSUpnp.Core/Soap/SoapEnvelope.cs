using System.Collections.Generic;
using System.Text;
using System;
using PSUpnp.Text;

namespace PSUpnp.Soap
{
    /// <summary>Builds the SOAP 1.1 request of one UPnP control action: body bytes and the headers that go with it.</summary>
    internal static class SoapEnvelope
    {
        public const string ContentType = "text/xml; charset=\"utf-8\"";

        private const string Head =
            "<?xml version=\"1.0\"?>\r\n"
            + "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
            + "<s:Body>";

        private const string Tail = "</s:Body></s:Envelope>\r\n";

        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        public static byte[] Encode(string serviceType, string actionName, IReadOnlyList<KeyValuePair<string, string>> arguments)
        {
            CheckToken(serviceType, nameof(serviceType));
            CheckName(actionName);

            var sb = new StringBuilder(Head.Length + Tail.Length + 128 + (arguments.Count * 48));
            sb.Append(Head).Append("<u:").Append(actionName).Append(" xmlns:u=\"");
            XmlText.AppendEscaped(sb, serviceType, "serviceType");
            sb.Append("\">");
            foreach (var argument in arguments)
            {
                CheckName(argument.Key);
                sb.Append('<').Append(argument.Key).Append('>');
                XmlText.AppendEscaped(sb, argument.Value ?? string.Empty, argument.Key);
                sb.Append("</").Append(argument.Key).Append('>');
            }

            sb.Append("</u:").Append(actionName).Append('>').Append(Tail);
            return Utf8.GetBytes(sb.ToString());
        }

        /// <summary>SOAPAction is quoted, as UPnP Device Architecture requires and as strict devices check.</summary>
        public static KeyValuePair<string, string>[] Headers(string serviceType, string actionName)
        {
            CheckToken(serviceType, nameof(serviceType));
            CheckName(actionName);
            return new[]
            {
                new KeyValuePair<string, string>("Content-Type", ContentType),
                new KeyValuePair<string, string>("SOAPAction", "\"" + serviceType + "#" + actionName + "\""),
            };
        }

        // The service type comes from the device's description: it must not be able to break the header line or the
        // quoted SOAPAction value.
        private static void CheckToken(string value, string what)
        {
            if (string.IsNullOrEmpty(value))
            {
                throw new ArgumentException("A service type is required.", what);
            }

            foreach (var c in value)
            {
                if (c <= ' ' || c == '"' || c == '#' || c >= 0x7F)
                {
                    throw new UpnpException(
                        UpnpErrors.InvalidServiceType,
                        "The gateway's service type '" + value + "' contains characters a SOAPAction header cannot carry.",
                        value);
                }
            }
        }

        // Action and argument names are the engine's own constants; this guards against a programming error producing
        // markup rather than against input.
        private static void CheckName(string name)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("An XML element name is required.", nameof(name));
            }

            foreach (var c in name)
            {
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
                {
                    throw new ArgumentException("'" + name + "' is not a SOAP action or argument name.", nameof(name));
                }
            }
        }
    }
}
