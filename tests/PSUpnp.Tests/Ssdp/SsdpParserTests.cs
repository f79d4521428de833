using System;
using System.Text;
using PSUpnp.Ssdp;
using Xunit;

namespace PSUpnp.Tests.Ssdp
{
    public class SsdpParserTests
    {
        private const string Valid =
            "HTTP/1.1 200 OK\r\n" +
            "CACHE-CONTROL: max-age=120\r\n" +
            "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n" +
            "USN: uuid:bee7052b-49e8-3597-b545-55a1e38ac11::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n" +
            "EXT:\r\n" +
            "SERVER: FreeBSD/12.2-STABLE UPnP/1.1 MiniUPnPd/2.2.1\r\n" +
            "LOCATION: http://192.168.1.1:2189/rootDesc.xml\r\n" +
            "\r\n";

        private static SsdpMessage Parse(string text) => SsdpParser.Parse(Encoding.UTF8.GetBytes(text));

        private static UpnpException Malformed(string text)
        {
            var e = Assert.ThrowsAny<UpnpException>(() => Parse(text));
            Assert.Equal("UpnpMalformedSsdp", e.ErrorId);
            Assert.Equal(UpnpErrorCategory.InvalidData, e.Category);
            return e;
        }

        [Fact]
        public void SearchResponseYieldsEveryField()
        {
            var m = Parse(Valid);

            Assert.Equal(SsdpMessageKind.SearchResponse, m.Kind);
            Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:1", m.Target);
            Assert.Equal(new Uri("http://192.168.1.1:2189/rootDesc.xml"), m.Location);
            Assert.Equal("FreeBSD/12.2-STABLE UPnP/1.1 MiniUPnPd/2.2.1", m.Server);
            Assert.Equal(TimeSpan.FromSeconds(120), m.MaxAge);
            Assert.Equal("uuid:bee7052b-49e8-3597-b545-55a1e38ac11", m.Udn);
            Assert.Null(m.NotificationSubtype);
            Assert.Equal(6, m.Headers.Count);
        }

        [Fact]
        public void HeaderNamesAreMatchedInAnyCase()
        {
            var m = Parse("HTTP/1.1 200 OK\r\ncache-Control: max-age=60\r\nSt: urn:schemas-upnp-org:service:WANIPConnection:1\r\nlocation: http://10.0.0.1/d.xml\r\nusn: uuid:x::y\r\nserver: s\r\n\r\n");

            Assert.Equal("urn:schemas-upnp-org:service:WANIPConnection:1", m.Target);
            Assert.Equal(new Uri("http://10.0.0.1/d.xml"), m.Location);
            Assert.Equal(TimeSpan.FromSeconds(60), m.MaxAge);
            Assert.Equal("uuid:x", m.Udn);
            Assert.Equal("s", m.GetHeader("SERVER"));
        }

        [Fact]
        public void ExtraSpacesAroundNamesValuesAndEqualsAreIgnored()
        {
            var m = Parse("HTTP/1.1   200   OK  \r\nCACHE-CONTROL :   max-age = 1800  \r\nST:urn:schemas-upnp-org:device:InternetGatewayDevice:2   \r\nLOCATION:    http://10.0.0.1:80/IGD.xml\r\n\r\n");

            Assert.Equal(TimeSpan.FromSeconds(1800), m.MaxAge);
            Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:2", m.Target);
            Assert.Equal(new Uri("http://10.0.0.1:80/IGD.xml"), m.Location);
        }

        [Fact]
        public void MissingCacheControlExtUsnAndServerAreTolerated()
        {
            var m = Parse("HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nLOCATION: http://10.0.0.1/d.xml\r\n\r\n");

            Assert.Null(m.MaxAge);
            Assert.Null(m.Usn);
            Assert.Null(m.Udn);
            Assert.Null(m.Server);
            Assert.Null(m.GetHeader("EXT"));
        }

        [Fact]
        public void MissingFinalBlankLineAndFinalCrLfAreTolerated()
        {
            var m = Parse("HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nLOCATION: http://10.0.0.1/d.xml");

            Assert.Equal(new Uri("http://10.0.0.1/d.xml"), m.Location);
        }

        [Fact]
        public void BareLineFeedsAreTolerated()
        {
            var m = Parse("HTTP/1.1 200 OK\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\nLOCATION: http://10.0.0.1/d.xml\n\n");

            Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:1", m.Target);
        }

        [Fact]
        public void LocationWithAHostNameIsAccepted()
        {
            var m = Parse("HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nLOCATION: http://routerlogin.net:5000/rootDesc.xml\r\n\r\n");

            Assert.Equal("routerlogin.net", m.Location!.Host);
            Assert.Equal(5000, m.Location.Port);
        }

        [Fact]
        public void DuplicateHeadersDoNotThrowAndTheFirstWins()
        {
            var m = Parse("HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nLOCATION: http://10.0.0.1/first.xml\r\nLOCATION: http://10.0.0.2/second.xml\r\nST: other\r\nCACHE-CONTROL: max-age=10\r\nCACHE-CONTROL: max-age=20\r\n\r\n");

            Assert.Equal(new Uri("http://10.0.0.1/first.xml"), m.Location);
            Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:1", m.Target);
            Assert.Equal(TimeSpan.FromSeconds(10), m.MaxAge);
            Assert.Equal(6, m.Headers.Count);
        }

        [Fact]
        public void FoldedHeaderLineContinuesThePreviousValue()
        {
            var m = Parse("HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nSERVER: Linux\r\n  UPnP/1.0\r\nLOCATION: http://10.0.0.1/d.xml\r\n\r\n");

            Assert.Equal("Linux UPnP/1.0", m.Server);
        }

        [Theory]
        [InlineData("max-age=1800", 1800)]
        [InlineData("max-age = 1800", 1800)]
        [InlineData("no-cache=\"Ext\", max-age=5000", 5000)]
        [InlineData("MAX-AGE=30", 30)]
        [InlineData("max-age=\"90\"", 90)]
        public void MaxAgeIsReadFromCacheControl(string value, int seconds)
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds), SsdpParser.ParseMaxAge(value));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("no-cache")]
        [InlineData("max-age=")]
        [InlineData("max-age=-5")]
        [InlineData("max-age=ten")]
        [InlineData("max-age=99999999999999")]
        public void UnreadableMaxAgeIsNull(string? value)
        {
            Assert.Null(SsdpParser.ParseMaxAge(value));
        }

        [Fact]
        public void NotifyAliveIsParsed()
        {
            var m = Parse("NOTIFY * HTTP/1.1 \r\nHost: 239.255.255.250:1900\r\nCache-Control: max-age=180\r\nLocation: http://192.168.1.1:5431/dyndev/uuid:0\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nUSN: uuid:0::upnp:rootdevice\r\n\r\n");

            Assert.Equal(SsdpMessageKind.Notify, m.Kind);
            Assert.Equal("upnp:rootdevice", m.Target);
            Assert.Equal("ssdp:alive", m.NotificationSubtype);
            Assert.Equal(TimeSpan.FromSeconds(180), m.MaxAge);
        }

        [Fact]
        public void NotifyByeByeNeedsNoLocation()
        {
            var m = Parse("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\nNTS: ssdp:byebye\r\nUSN: uuid:0::upnp:rootdevice\r\n\r\n");

            Assert.Equal("ssdp:byebye", m.NotificationSubtype);
            Assert.Null(m.Location);
        }

        [Fact]
        public void NotifyAliveWithoutLocationIsMalformed()
        {
            Assert.Contains("LOCATION", Malformed("NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n\r\n").Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("")]
        [InlineData("\r\n\r\n")]
        [InlineData("GARBAGE\r\nST: x\r\n\r\n")]
        [InlineData("HTTP/1.1 2000 OK\r\nST: x\r\nLOCATION: http://a/\r\n\r\n")]
        [InlineData("HTTP/1.1 OK\r\nST: x\r\nLOCATION: http://a/\r\n\r\n")]
        [InlineData("HTTP/1.1\r\nST: x\r\nLOCATION: http://a/\r\n\r\n")]
        [InlineData("M-SEARCH * HTTP/1.1\r\nST: x\r\n\r\n")]
        [InlineData("NOTIFY / HTTP/1.1\r\nNT: x\r\nNTS: ssdp:byebye\r\n\r\n")]
        public void DatagramThatIsNotAResponseOrNotifyIsMalformed(string text)
        {
            Malformed(text);
        }

        [Fact]
        public void ErrorStatusIsRefused()
        {
            Assert.Contains("404", Malformed("HTTP/1.1 404 Not Found\r\nST: x\r\nLOCATION: http://a/\r\n\r\n").Message, StringComparison.Ordinal);
        }

        [Fact]
        public void HeaderLineWithoutColonIsMalformed()
        {
            Malformed("HTTP/1.1 200 OK\r\nST urn:x\r\nLOCATION: http://a/\r\n\r\n");
        }

        [Theory]
        [InlineData("HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.1/d.xml\r\n\r\n", "ST")]
        [InlineData("HTTP/1.1 200 OK\r\nST:\r\nLOCATION: http://10.0.0.1/d.xml\r\n\r\n", "ST")]
        [InlineData("HTTP/1.1 200 OK\r\nST: urn:x\r\n\r\n", "LOCATION")]
        public void ResponseWithoutStOrLocationIsMalformed(string text, string header)
        {
            Assert.Contains(header, Malformed(text).Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("/rootDesc.xml")]
        [InlineData("file:///etc/passwd")]
        [InlineData("https://10.0.0.1/d.xml")]
        [InlineData("http://")]
        [InlineData("not a url")]
        public void LocationThatIsNotAnAbsoluteHttpUrlIsMalformed(string location)
        {
            Malformed("HTTP/1.1 200 OK\r\nST: urn:x\r\nLOCATION: " + location + "\r\n\r\n");
        }

        [Fact]
        public void OversizedDatagramIsMalformed()
        {
            var text = Valid.Replace("\r\n\r\n", "\r\nX-PAD: " + new string('a', 9000) + "\r\n\r\n", StringComparison.Ordinal);

            Malformed(text);
        }

        [Fact]
        public void ParsingHonoursOffsetAndCount()
        {
            var inner = Encoding.ASCII.GetBytes(Valid);
            var padded = new byte[inner.Length + 20];
            Array.Fill(padded, (byte)'#');
            Array.Copy(inner, 0, padded, 10, inner.Length);

            var m = SsdpParser.Parse(padded, 10, inner.Length);

            Assert.Equal(new Uri("http://192.168.1.1:2189/rootDesc.xml"), m.Location);
        }

        [Fact]
        public void BinaryGarbageIsMalformedNotACrash()
        {
            var garbage = new byte[256];
            new Random(7).NextBytes(garbage);

            var e = Assert.ThrowsAny<UpnpException>(() => SsdpParser.Parse(garbage));
            Assert.Equal("UpnpMalformedSsdp", e.ErrorId);
        }
    }
}
