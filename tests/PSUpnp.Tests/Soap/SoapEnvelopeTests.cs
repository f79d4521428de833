using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Xml;
using PSUpnp.Soap;
using Xunit;

namespace PSUpnp.Tests.Soap
{
    public sealed class SoapEnvelopeTests
    {
        private const string ServiceType = "urn:schemas-upnp-org:service:WANIPConnection:1";

        private static KeyValuePair<string, string> Arg(string name, string value) => new KeyValuePair<string, string>(name, value);

        [Fact]
        public void EncodesTheEnvelopeByteExact()
        {
            var bytes = SoapEnvelope.Encode(ServiceType, "DeletePortMapping", new[]
            {
                Arg("NewRemoteHost", string.Empty),
                Arg("NewExternalPort", "8080"),
                Arg("NewProtocol", "TCP"),
            });

            var expected =
                "<?xml version=\"1.0\"?>\r\n"
                + "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
                + "<s:Body><u:DeletePortMapping xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">"
                + "<NewRemoteHost></NewRemoteHost><NewExternalPort>8080</NewExternalPort><NewProtocol>TCP</NewProtocol>"
                + "</u:DeletePortMapping></s:Body></s:Envelope>\r\n";
            Assert.Equal(Encoding.ASCII.GetBytes(expected), bytes);
        }

        [Fact]
        public void ActionWithoutArgumentsHasAnEmptyActionElement()
        {
            var text = Encoding.UTF8.GetString(SoapEnvelope.Encode(ServiceType, "GetExternalIPAddress", new KeyValuePair<string, string>[0]));
            Assert.Contains("<s:Body><u:GetExternalIPAddress xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\"></u:GetExternalIPAddress></s:Body>", text);
        }

        [Fact]
        public void EscapesMarkupInArgumentsByteExact()
        {
            var bytes = SoapEnvelope.Encode(ServiceType, "AddPortMapping", new[] { Arg("NewPortMappingDescription", "<a>&\"'") });
            var text = Encoding.UTF8.GetString(bytes);
            Assert.Contains("<NewPortMappingDescription>&lt;a&gt;&amp;&quot;&apos;</NewPortMappingDescription>", text);
        }

        [Theory]
        [InlineData("<a>&\"'")]
        [InlineData("</NewPortMappingDescription><NewLeaseDuration>0</NewLeaseDuration>")]
        [InlineData("]]><![CDATA[x")]
        [InlineData("line1\r\nline2\ttab")]
        [InlineData("caf\u00e9 \u65e5\u672c \U0001F600")]
        [InlineData("  leading and trailing  ")]
        public void AnyDescriptionArrivesIntactAndNeverAltersTheEnvelope(string description)
        {
            var bytes = SoapEnvelope.Encode(ServiceType, "AddPortMapping", new[]
            {
                Arg("NewPortMappingDescription", description),
                Arg("NewLeaseDuration", "3600"),
            });

            var parsed = ReadArguments(bytes);
            Assert.Equal(2, parsed.Count);
            Assert.Equal(Arg("NewPortMappingDescription", description), parsed[0]);
            Assert.Equal(Arg("NewLeaseDuration", "3600"), parsed[1]);
        }

        [Theory]
        [InlineData("\u0000")]
        [InlineData("a\u0001b")]
        [InlineData("\u001b[31m")]
        [InlineData("\uFFFE")]
        [InlineData("lone ", 0xD800)]
        [InlineData("lone low ", 0xDC00)]
        public void RefusesCharactersXml10CannotCarry(string description, int appended = -1)
        {
            // Attribute strings cannot hold a lone surrogate (the compiler stores them as UTF-8), so it is appended here.
            if (appended >= 0)
            {
                description += (char)appended;
            }

            var ex = Assert.ThrowsAny<UpnpException>(() =>
                SoapEnvelope.Encode(ServiceType, "AddPortMapping", new[] { Arg("NewPortMappingDescription", description) }));
            Assert.Equal("UpnpInvalidXmlCharacter", ex.ErrorId);
            Assert.Equal(UpnpErrorCategory.InvalidArgument, ex.Category);
            Assert.Contains("NewPortMappingDescription", ex.Message);
            Assert.Equal("NewPortMappingDescription", ex.Target);
        }

        [Fact]
        public void HeadersQuoteSoapActionAndNameUtf8()
        {
            var headers = SoapEnvelope.Headers(ServiceType, "AddPortMapping");
            Assert.Equal(2, headers.Length);
            Assert.Equal(Arg("Content-Type", "text/xml; charset=\"utf-8\""), headers[0]);
            Assert.Equal(Arg("SOAPAction", "\"urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping\""), headers[1]);
        }

        [Theory]
        [InlineData("urn:x\r\nX-Injected: 1")]
        [InlineData("urn:x\"quote")]
        [InlineData("urn:x#y")]
        public void RefusesAServiceTypeThatWouldBreakTheHeader(string serviceType)
        {
            var ex = Assert.ThrowsAny<UpnpException>(() => SoapEnvelope.Headers(serviceType, "AddPortMapping"));
            Assert.Equal("UpnpInvalidServiceType", ex.ErrorId);
        }

        private static List<KeyValuePair<string, string>> ReadArguments(byte[] envelope)
        {
            var result = new List<KeyValuePair<string, string>>();
            using var reader = XmlReader.Create(new MemoryStream(envelope), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            reader.MoveToContent();
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == 3)
                {
                    var name = reader.LocalName;
                    result.Add(Arg(name, reader.ReadElementContentAsString()));
                }
                else
                {
                    reader.Read();
                }
            }

            return result;
        }
    }
}
