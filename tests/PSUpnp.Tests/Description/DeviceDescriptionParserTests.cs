using System;
using System.Net;
using System.Text;
using PSUpnp.Description;
using Xunit;

namespace PSUpnp.Tests.Description
{
    public class DeviceDescriptionParserTests
    {
        private const string Minimal =
            "<?xml version=\"1.0\"?>" +
            "<root xmlns=\"urn:schemas-upnp-org:device-1-0\">" +
            "<specVersion><major>1</major><minor>0</minor></specVersion>" +
            "<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>" +
            "<friendlyName>Lab &amp; Router</friendlyName><manufacturer>M</manufacturer><modelName>X</modelName><UDN>uuid:1</UDN>" +
            "<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>" +
            "<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>" +
            "<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>" +
            "<serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId><controlURL>/ctl/IPConn</controlURL></service></serviceList>" +
            "</device></deviceList></device></deviceList>" +
            "<presentationURL>/</presentationURL></device></root>";

        private static DeviceDescription Parse(string xml) => DeviceDescriptionParser.Parse(Encoding.UTF8.GetBytes(xml));

        private static UpnpException Fails(string xml, string errorId)
        {
            var e = Assert.ThrowsAny<UpnpException>(() => Parse(xml));
            Assert.Equal(errorId, e.ErrorId);
            return e;
        }

        [Fact]
        public void NestedDeviceTreeIsRead()
        {
            var d = Parse(Minimal);

            Assert.Null(d.UrlBase);
            Assert.Equal("Lab & Router", d.RootDevice.FriendlyName);
            Assert.Equal("uuid:1", d.RootDevice.Udn);
            Assert.Equal("/", d.RootDevice.PresentationUrl);
            var wan = Assert.Single(d.RootDevice.Devices);
            var conn = Assert.Single(wan.Devices);
            var service = Assert.Single(conn.Services);
            Assert.Equal("urn:schemas-upnp-org:service:WANIPConnection:1", service.ServiceType);
            Assert.Equal("/ctl/IPConn", service.ControlUrl);
        }

        [Fact]
        public void DocumentWithoutNamespaceIsRead()
        {
            var d = Parse(Minimal.Replace(" xmlns=\"urn:schemas-upnp-org:device-1-0\"", string.Empty, StringComparison.Ordinal));

            Assert.Equal("Lab & Router", d.RootDevice.FriendlyName);
        }

        [Fact]
        public void PrefixedNamespaceIsRead()
        {
            var xml = "<u:root xmlns:u=\"urn:schemas-upnp-org:device-1-0\"><u:URLBase>http://10.0.0.1:5000</u:URLBase><u:device><u:friendlyName>P</u:friendlyName></u:device></u:root>";

            var d = Parse(xml);

            Assert.Equal("http://10.0.0.1:5000", d.UrlBase);
            Assert.Equal("P", d.RootDevice.FriendlyName);
        }

        [Fact]
        public void ByteOrderMarkAndUtf16AreRead()
        {
            var utf8Bom = Encoding.UTF8.GetPreamble();
            var body = new byte[utf8Bom.Length + Encoding.UTF8.GetByteCount(Minimal)];
            utf8Bom.CopyTo(body, 0);
            Encoding.UTF8.GetBytes(Minimal).CopyTo(body, utf8Bom.Length);
            Assert.Equal("Lab & Router", DeviceDescriptionParser.Parse(body).RootDevice.FriendlyName);

            var utf16 = Encoding.Unicode.GetPreamble();
            var xml16 = Minimal.Replace("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"utf-16\"?>", StringComparison.Ordinal);
            var body16 = new byte[utf16.Length + Encoding.Unicode.GetByteCount(xml16)];
            utf16.CopyTo(body16, 0);
            Encoding.Unicode.GetBytes(xml16).CopyTo(body16, utf16.Length);
            Assert.Equal("Lab & Router", DeviceDescriptionParser.Parse(body16).RootDevice.FriendlyName);
        }

        [Fact]
        public void UnknownElementsCommentsAndEmptyElementsAreSkipped()
        {
            var xml = "<root><!-- c --><x:y xmlns:x=\"urn:v\"><deep><device><friendlyName>WRONG</friendlyName></device></deep></x:y>" +
                      "<device><iconList><icon><url>/i.gif</url></icon></iconList><friendlyName>Right</friendlyName><UDN/><serviceList/><deviceList/></device></root>";

            var d = Parse(xml);

            Assert.Equal("Right", d.RootDevice.FriendlyName);
            Assert.Equal(string.Empty, d.RootDevice.Udn);
            Assert.Empty(d.RootDevice.Services);
            Assert.Empty(d.RootDevice.Devices);
        }

        [Fact]
        public void WhitespaceInsideUdnIsRemoved()
        {
            var d = Parse("<root><device><UDN>uuid:8ca2eb36-1dd2-11b2-86f0-001a709b5aa\n8</UDN></device></root>");

            Assert.Equal("uuid:8ca2eb36-1dd2-11b2-86f0-001a709b5aa8", d.RootDevice.Udn);
        }

        [Fact]
        public void ExternalEntityIsRefusedAsDtdProhibited()
        {
            var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE root [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<root><device><friendlyName>&xxe;</friendlyName></device></root>";

            var e = Fails(xml, "UpnpDescriptionDtdProhibited");
            Assert.Equal(UpnpErrorCategory.SecurityError, e.Category);
            Assert.NotNull(e.RecommendedAction);
        }

        [Fact]
        public void EntityBombIsRefusedAsDtdProhibited()
        {
            var sb = new StringBuilder("<?xml version=\"1.0\"?><!-- bomb --><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
            for (var i = 1; i < 10; i++)
            {
                sb.Append("<!ENTITY lol").Append(i).Append(" \"");
                for (var j = 0; j < 10; j++)
                {
                    sb.Append("&lol").Append(i == 1 ? string.Empty : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(';');
                }

                sb.Append("\">");
            }

            sb.Append("]><root><device><friendlyName>&lol9;</friendlyName></device></root>");

            Fails(sb.ToString(), "UpnpDescriptionDtdProhibited");
        }

        [Fact]
        public void UndeclaredEntityWithoutDtdIsMalformed()
        {
            Fails("<root><device><friendlyName>&xxe;</friendlyName></device></root>", "UpnpMalformedDescription");
        }

        [Theory]
        [InlineData("")]
        [InlineData("not xml at all")]
        [InlineData("<root><device><friendlyName>x</device></root>")]
        [InlineData("<root><device>")]
        [InlineData("<?xml version=\"1.0\"?>")]
        public void BrokenXmlIsMalformed(string xml)
        {
            Fails(xml, "UpnpMalformedDescription");
        }

        [Fact]
        public void OtherDocumentElementIsMalformed()
        {
            Assert.Contains("<scpd>", Fails("<scpd><device/></scpd>", "UpnpMalformedDescription").Message, StringComparison.Ordinal);
        }

        [Fact]
        public void RootWithoutDeviceIsMalformed()
        {
            Fails("<root><specVersion><major>1</major></specVersion></root>", "UpnpMalformedDescription");
        }

        [Fact]
        public void NestingBeyondTheBoundIsMalformedNotAStackOverflow()
        {
            var sb = new StringBuilder("<root><device>");
            for (var i = 0; i < 5000; i++)
            {
                sb.Append("<deviceList><device>");
            }

            for (var i = 0; i < 5000; i++)
            {
                sb.Append("</device></deviceList>");
            }

            sb.Append("</device></root>");

            Assert.Contains("nested", Fails(sb.ToString(), "UpnpMalformedDescription").Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ErrorsOfADescriptionReadFromAUrlNameThatUrl()
        {
            var url = new Uri("http://192.168.1.1:5000/rootDesc.xml");

            var e = Assert.ThrowsAny<UpnpException>(() => DeviceDescriptionParser.Parse(Encoding.UTF8.GetBytes("<root/>"), url));

            Assert.Equal("UpnpMalformedDescription", e.ErrorId);
            Assert.Equal(url, e.Target);
        }

        [Fact]
        public void BuilderMakesOneGatewayPerConnectionServiceWithResolvedUrls()
        {
            var url = new Uri("http://192.168.1.1:5000/rootDesc.xml");

            var gateways = GatewayBuilder.Build(Parse(Minimal), url, IPAddress.Parse("192.168.1.10"), "S/1 UPnP/1.1 X/1", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

            var g = Assert.Single(gateways);
            Assert.Equal("Lab & Router", g.FriendlyName);
            Assert.Equal("M", g.Manufacturer);
            Assert.Equal("X", g.ModelName);
            Assert.Equal("uuid:1", g.Udn);
            Assert.Equal(1, g.IgdVersion);
            Assert.Equal("WANIPConnection", g.ServiceName);
            Assert.Equal(new Uri("http://192.168.1.1:5000/ctl/IPConn"), g.ControlUrl);
            Assert.Equal(url, g.DescriptionUrl);
            Assert.Equal(new Uri("http://192.168.1.1:5000/"), g.PresentationUrl);
            Assert.Equal(IPAddress.Parse("192.168.1.10"), g.LocalAddress);
            Assert.Equal("S/1 UPnP/1.1 X/1", g.Server);
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), g.ExpiresAt);
        }

        [Fact]
        public void ServiceWithUnusableControlUrlIsSkippedAndNoneLeftIsMalformed()
        {
            var xml = Minimal.Replace("<controlURL>/ctl/IPConn</controlURL>", "<controlURL>http://%s:%d/wipconn</controlURL>", StringComparison.Ordinal);

            var e = Assert.ThrowsAny<UpnpException>(() => GatewayBuilder.Build(Parse(xml), new Uri("http://10.0.0.1/d.xml"), IPAddress.Loopback));

            Assert.Equal("UpnpMalformedDescription", e.ErrorId);
        }

        [Fact]
        public void DeviceWithoutConnectionServiceIsATypedError()
        {
            var xml = Minimal.Replace("WANIPConnection:1", "WANCommonInterfaceConfig:1", StringComparison.Ordinal);

            var e = Assert.ThrowsAny<UpnpException>(() => GatewayBuilder.Build(Parse(xml), new Uri("http://10.0.0.1/d.xml"), IPAddress.Loopback));

            Assert.Equal("UpnpNoConnectionService", e.ErrorId);
            Assert.Contains("Lab & Router", e.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("urn:schemas-upnp-org:service:WANIPConnection:1", true)]
        [InlineData("urn:schemas-upnp-org:service:WANIPConnection:2", true)]
        [InlineData("urn:schemas-upnp-org:service:WANIPConnection:3", true)]
        [InlineData("urn:schemas-upnp-org:service:WANPPPConnection:1", true)]
        [InlineData("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1", false)]
        [InlineData("urn:schemas-upnp-org:service:Layer3Forwarding:1", false)]
        [InlineData("WANIPConnection", false)]
        public void ConnectionServicesAreRecognisedInAnyVersion(string serviceType, bool expected)
        {
            Assert.Equal(expected, GatewayBuilder.IsConnectionService(serviceType));
        }
    }
}
