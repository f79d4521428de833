using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using PSUpnp.Description;
using PSUpnp.Igd;
using PSUpnp.NatPmp;
using PSUpnp.Net;
using PSUpnp.Pcp;
using PSUpnp.Soap;
using PSUpnp.Ssdp;
using PSUpnp.Stun;
using Xunit;
using Xunit.Abstractions;

namespace PSUpnp.Tests.Fuzz
{
    /// <summary>
    /// Every parser that reads what a device or a server sends, driven by at least 100,000 mutated and random inputs each
    /// (see <see cref="FuzzRun"/>): SSDP, the device description (with the gateway built from it), SOAP answers (with the
    /// port mapping values read from them), the PortMappingList document, STUN, NAT-PMP and PCP answers, and the HTTP
    /// response reader. Alone in
    /// their collection, so that their load does not disturb tests that measure time.
    /// </summary>
    [Collection(FuzzCollection.Name)]
    [Trait("Category", "Fuzz")]
    public sealed class ParserFuzzTests
    {
        private static readonly Uri ControlUrl = new Uri("http://192.168.1.1:5000/ctl/IPConn");
        private static readonly Uri DescriptionUrl = new Uri("http://192.168.1.1:5000/rootDesc.xml");
        private static readonly IPAddress LocalAddress = IPAddress.Parse("192.168.1.10");
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        private static readonly UpnpGateway Gateway = new UpnpGateway(
            "Fuzz", "x", "x", "uuid:fuzz", 2, "urn:schemas-upnp-org:service:WANIPConnection:2", ControlUrl, DescriptionUrl, null, LocalAddress);

        private static readonly string[] Xml =
        {
            "<", ">", "</", "/>", "=\"", "&amp;", "&lt;", "&#13;", "&#x0;", "&#xFFFE;", "&#1114112;", "&unknown;", "&", "<![CDATA[", "]]>", "<!--", "-->",
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?>", "<?xml version=\"1.1\"?>", "<?pi x?>", "<!DOCTYPE r [<!ENTITY e \"x\">]>", "<!DOCTYPE r SYSTEM \"file:///etc/passwd\">",
            "xmlns=\"\"", "xmlns:s=\"urn:x\"", "xmlns:u=\"\"", "s:", "\uFEFF", "\u00e9", "\ud83d\ude00",
        };

        private readonly ITestOutputHelper _output;

        public ParserFuzzTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void SsdpParserEndsEveryInputInAMessageOrTheEnginesOwnError() =>
            FuzzRun.Run("SSDP", SeedCorpus.Ssdp(), Text(
                "\r\n", "\n", "\r\n\r\n", ": ", ":", " ", "LOCATION: ", "location:http://", "ST: ", "NT: ", "NTS: ssdp:alive", "NTS: ssdp:byebye", "USN: uuid:x::",
                "CACHE-CONTROL: max-age=", "max-age = -1", "no-cache, max-age=99999999999", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 404 Not Found\r\n", "NOTIFY * HTTP/1.1\r\n",
                "M-SEARCH * HTTP/1.1\r\n", "http://", "https://", "http://[::1]:80/", "http://user@host:99999/", "file:///etc/passwd",
                "urn:schemas-upnp-org:device:InternetGatewayDevice:1", "urn:schemas-upnp-org:service:WANIPConnection:2", "ssdp:all", " \t", "\u00e9"),
                input => SsdpParser.Parse(input), _output);

        [Fact]
        public void DescriptionParserEndsEveryInputInAGatewayOrTheEnginesOwnError() =>
            FuzzRun.Run("description", SeedCorpus.Description(), Text(Xml.Concat(new[]
            {
                "<device>", "</device>", "<deviceList>", "</deviceList>", "<serviceList>", "<service>", "</service>", "<deviceType>", "<UDN>", "<friendlyName>",
                "<serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>", "<serviceType>urn:schemas-upnp-org:service:WANPPPConnection:2</serviceType>",
                "<controlURL>", "</controlURL>", "<URLBase>", "</URLBase>", "http://[fe80::1%25eth0]/", "javascript:alert(1)", "//other.host/", "../../", "%00", "http://:0/",
            })), input => GatewayBuilder.Build(DeviceDescriptionParser.Parse(input), DescriptionUrl, LocalAddress), _output);

        [Fact]
        public void SoapResponseParserEndsEveryInputInAnAnswerOrTheEnginesOwnError() =>
            FuzzRun.Run("SOAP response", SeedCorpus.Soap(), Text(Xml.Concat(new[]
            {
                "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">", "<s:Body>", "</s:Body>", "</s:Envelope>", "<s:Fault>", "</s:Fault>", "<detail>",
                "<UPnPError>", "<errorCode>", "</errorCode>", "<errorDescription>", "<faultcode>s:Client</faultcode>", "<NewPortListing>", "</NewPortListing>",
                "<NewExternalPort>", "<NewInternalPort>", "<NewInternalClient>", "<NewLeaseDuration>", "<NewEnabled>", "<NewProtocol>UDP</NewProtocol>", "<NewRemoteHost>",
                "<NewExternalIPAddress>", "<NewPortMappingDescription>",
            })), input =>
            {
                // The status a device sends decides between answer and fault; let the input's length choose it.
                var status = input.Length % 3 == 0 ? 500 : 200;
                var response = SoapControl.Interpret(status, "OK", input, "GetGenericPortMappingEntry", ControlUrl);
                ReadEntries(response);
            }, _output);

        [Fact]
        public void PortMappingListParserEndsEveryInputInEntriesOrTheEnginesOwnError() =>
            FuzzRun.Run("PortMappingList", SeedCorpus.PortMappingList(), Text(Xml.Concat(new[]
            {
                "<p:PortMappingList xmlns:p=\"urn:schemas-upnp-org:gw:WANIPConnection\">", "</p:PortMappingList>", "<p:PortMappingEntry>", "</p:PortMappingEntry>",
                "<p:NewExternalPort>", "</p:NewExternalPort>", "<p:NewLeaseTime>", "<p:NewProtocol>", "<p:NewInternalClient>", "<p:NewEnabled>", "<p:NewRemoteHost>",
            })), input =>
            {
                foreach (var entry in PortMappingListParser.Parse(Encoding.UTF8.GetString(input), "GetListOfPortMappings", ControlUrl))
                {
                    ReadEntry(entry, PortMappingReader.Names.ListEntry);
                }
            }, _output);

        [Fact]
        public void StunDecoderEndsEveryInputInAMessageOrTheEnginesOwnError() =>
            FuzzRun.Run("STUN", SeedCorpus.Stun(), Hex(
                "2112a442", "80280004", "00200008", "00010008", "000800140000", "802c0008", "80230008", "000a0004", "00090004", "80220000", "0003", "ffff", "0000", "01010000", "0111"),
                input => StunMessage.Decode(input), _output);

        [Fact]
        public void NatPmpParserEndsEveryInputInAnAnswerOrTheMalformedAnswerError() =>
            FuzzRun.Run("NAT-PMP", SeedCorpus.NatPmp(), Hex(
                "00", "0080", "0081", "0082", "0083", "0000", "0001", "0002", "0005", "ffff", "ffffffff", "00000000", "0b0b0001", "1f90", "00000e10"),
                input => OnlyMalformed(UpnpErrors.NatPmpMalformedResponse, () => NatPmpResponse.Parse(input, 0, input.Length)), _output);

        [Fact]
        public void PcpParserEndsEveryInputInAnAnswerOrTheMalformedAnswerError() =>
            FuzzRun.Run("PCP", SeedCorpus.Pcp(), Hex(
                "02", "0280", "0281", "0282", "0201", "0180", "0080", "0001", "00000e10", "00000000000000000000ffff", "0102030405060708090a0b0c", "06000000", "11000000",
                "01000010", "02000000", "03000014", "0080", "c8000003", "ffff", "ffffffff", "00"),
                input => OnlyMalformed(UpnpErrors.PcpMalformedResponse, () => _ = PcpResponse.Parse(input, 0, input.Length).Options.Count), _output);

        [Fact]
        public void HttpResponseReaderEndsEveryInputInAResponseOrTheEnginesOwnError()
        {
            var limits = new HttpLimits(TimeSpan.FromSeconds(5), 64 * 1024, 8 * 1024);
            FuzzRun.Run("HTTP response", SeedCorpus.Http(), Text(
                "\r\n", "\r\n\r\n", "\n\n", "HTTP/1.1 ", "HTTP/1.0 200 OK\r\n", "HTTP/1.1 100 Continue\r\n\r\n", "Content-Length: ", "Content-Length: 1\r\nContent-Length: 2\r\n",
                "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n", "ffffffff\r\n", "7fffffff\r\n", "-1\r\n", ";ext=\"x\"", " 204 ", " 304 ",
                ": ", " \t", "\u00e9"), input =>
            {
                // Bytes arrive in pieces of any size; where they are cut follows from the input, so that it reproduces.
                var reader = new HttpResponseReader(ControlUrl, limits);
                var cuts = new Random(input.Length * 31 + (input.Length > 0 ? input[input.Length / 2] : 0));
                for (var at = 0; at < input.Length && !reader.IsComplete;)
                {
                    var piece = Math.Min(input.Length - at, 1 + cuts.Next(cuts.Next(2) == 0 ? 8 : 2048));
                    reader.Append(input, at, piece);
                    at += piece;
                }

                reader.Finish();
            }, _output);
        }

        [Fact]
        public void EverySeedIsAMessageItsParserAccepts()
        {
            static int Accepted(IReadOnlyList<byte[]> seeds, Action<byte[]> parse) => seeds.Count(s =>
            {
                parse(s);
                return true;
            });

            Assert.Equal(SeedCorpus.Ssdp().Count, Accepted(SeedCorpus.Ssdp(), s => SsdpParser.Parse(s)));
            Assert.Equal(SeedCorpus.Description().Count, Accepted(SeedCorpus.Description(), s => Assert.NotEmpty(GatewayBuilder.Build(DeviceDescriptionParser.Parse(s), DescriptionUrl, LocalAddress))));
            Assert.Equal(SeedCorpus.PortMappingList().Count, Accepted(SeedCorpus.PortMappingList(), s => PortMappingListParser.Parse(Encoding.UTF8.GetString(s), "GetListOfPortMappings", ControlUrl)));
            Assert.Equal(SeedCorpus.Stun().Count, Accepted(SeedCorpus.Stun(), s => StunMessage.Decode(s)));
            Assert.Equal(SeedCorpus.Http().Count, Accepted(SeedCorpus.Http(), s => HttpResponseReader.Parse(s, ControlUrl, HttpLimits.Control)));
            Assert.Equal(SeedCorpus.NatPmp().Count, Accepted(SeedCorpus.NatPmp(), s => NatPmpResponse.Parse(s, 0, s.Length)));
            Assert.Equal(SeedCorpus.Pcp().Count, Accepted(SeedCorpus.Pcp(), s => PcpResponse.Parse(s, 0, s.Length)));

            // SOAP seeds are answers and faults; a fault is the engine's typed refusal, which is what a fault seed must give.
            var soap = SeedCorpus.Soap();
            var faults = soap.Count(s =>
            {
                try
                {
                    SoapControl.Interpret(200, "OK", s, "Action", ControlUrl);
                    return false;
                }
                catch (UpnpFaultException)
                {
                    return true;
                }
            });
            Assert.InRange(faults, 1, soap.Count - 1);
        }

        /// <summary>A parser of answers on bytes alone may fail only with its protocol's malformed-answer error.</summary>
        private static void OnlyMalformed(UpnpErrorEntry malformed, Action parse)
        {
            try
            {
                parse();
            }
            catch (UpnpException e) when (!ReferenceEquals(e.Entry, malformed))
            {
                throw new InvalidOperationException("the parser failed with " + e.ErrorId + ", not " + malformed.Id + ": " + e.Message, e);
            }
        }

        private static void ReadEntries(SoapResponse response)
        {
            var listing = response.Get("NewPortListing");
            if (listing != null)
            {
                foreach (var entry in PortMappingListParser.Parse(listing, "GetListOfPortMappings", ControlUrl))
                {
                    ReadEntry(entry, PortMappingReader.Names.ListEntry);
                }
            }
            else if (response.Get("NewExternalPort") != null)
            {
                ReadEntry(response, PortMappingReader.Names.Action);
            }
        }

        private static void ReadEntry(SoapResponse entry, PortMappingReader.Names names) =>
            PortMappingReader.Entry(entry, Gateway, Now, names, "GetGenericPortMappingEntry");

        private static IEnumerable<byte[]> Text(params string[] tokens) => tokens.Select(t => Encoding.UTF8.GetBytes(t));

        private static IEnumerable<byte[]> Text(IEnumerable<string> tokens) => tokens.Select(t => Encoding.UTF8.GetBytes(t));

        private static IEnumerable<byte[]> Hex(params string[] tokens) =>
            tokens.Select(t => Enumerable.Range(0, t.Length / 2).Select(i => byte.Parse(t.AsSpan(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>The fuzz tests run alone, after every other collection, so that their CPU load skews no timing elsewhere.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class FuzzCollection
    {
        public const string Name = "Fuzz";
    }
}
