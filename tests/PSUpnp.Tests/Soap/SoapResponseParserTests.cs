using System;
using System.Text;
using PSUpnp.Soap;
using Xunit;

namespace PSUpnp.Tests.Soap
{
    public sealed class SoapResponseParserTests
    {
        private static readonly Uri ControlUrl = new Uri("http://192.168.1.1:5000/ctl/IPConn");

        private static SoapResponse Ok(string xml, int status = 200) =>
            SoapControl.Interpret(status, "OK", Encoding.UTF8.GetBytes(xml), "GetExternalIPAddress", ControlUrl);

        private static T Fails<T>(string xml, int status = 200, string action = "GetExternalIPAddress")
            where T : Exception =>
            Assert.ThrowsAny<T>(() => SoapControl.Interpret(status, "Reason", Encoding.UTF8.GetBytes(xml), action, ControlUrl));

        private const string Fault718 =
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><faultcode>s:Client</faultcode>"
            + "<faultstring>UPnPError</faultstring><detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>718</errorCode>"
            + "<errorDescription>ConflictInMappingEntry</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>";

        [Theory]
        [InlineData("<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\"><NewExternalIPAddress>203.0.113.9</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>")]
        [InlineData("<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Header/><SOAP-ENV:Body><m:GetExternalIPAddressResponse xmlns:m=\"urn:schemas-upnp-org:service:WANIPConnection:1\"><m:NewExternalIPAddress>203.0.113.9</m:NewExternalIPAddress></m:GetExternalIPAddressResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>")]
        [InlineData("<Envelope xmlns=\"http://schemas.xmlsoap.org/soap/envelope/\"><Body><GetExternalIPAddressResponse xmlns=\"urn:x\"><NewExternalIPAddress>203.0.113.9</NewExternalIPAddress></GetExternalIPAddressResponse></Body></Envelope>")]
        [InlineData("\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<s:Envelope xmlns:s=\"x\">\r\n <s:Body>\r\n  <u:R xmlns:u=\"y\">\r\n   <NewExternalIPAddress>203.0.113.9</NewExternalIPAddress>\r\n  </u:R>\r\n </s:Body>\r\n</s:Envelope>\r\n")]
        public void ReadsArgumentsByLocalNameWhateverThePrefixes(string xml)
        {
            var response = Ok(xml);
            Assert.Equal("203.0.113.9", response.Get("NewExternalIPAddress"));
            Assert.Equal("203.0.113.9", response.Get("newexternalipaddress"));
        }

        [Fact]
        public void KeepsArgumentTextUntrimmedAndUnescaped()
        {
            var response = Ok("<s:Envelope xmlns:s=\"x\"><s:Body><u:R xmlns:u=\"y\"><NewPortMappingDescription> &lt;a&gt;&amp;&quot;&apos; <![CDATA[<b>]]></NewPortMappingDescription><NewEnabled/></u:R></s:Body></s:Envelope>");
            Assert.Equal(2, response.Arguments.Count);
            Assert.Equal(" <a>&\"' <b>", response.Get("NewPortMappingDescription"));
            Assert.Equal(string.Empty, response.Get("NewEnabled"));
            Assert.Null(response.Get("NewLeaseDuration"));
        }

        [Fact]
        public void AFaultBecomesUpnpFaultExceptionWithCodeDescriptionActionAndUrl()
        {
            var ex = Fails<UpnpFaultException>(Fault718, 500, "AddPortMapping");
            Assert.Equal(718, ex.ErrorCode);
            Assert.Equal("UpnpError718", ex.ErrorId);
            Assert.Equal("ConflictInMappingEntry", ex.ErrorDescription);
            Assert.Equal("AddPortMapping", ex.ActionName);
            Assert.Equal(ControlUrl, ex.ControlUrl);
            Assert.Equal(UpnpErrorCategory.ResourceExists, ex.Category);
            Assert.Contains(UpnpFaultCodes.Explain(718), ex.Message);
            Assert.Contains("AddPortMapping", ex.Message);
            Assert.Contains(ControlUrl.ToString(), ex.Message);
        }

        [Fact]
        public void AFaultSentWithHttp200IsStillAFault()
        {
            Assert.Equal(718, Fails<UpnpFaultException>(Fault718, 200).ErrorCode);
        }

        [Fact]
        public void AFaultWithoutUpnpErrorDetailIsItsOwnError()
        {
            var ex = Fails<UpnpException>("<s:Envelope xmlns:s=\"x\"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>Busy</faultstring></s:Fault></s:Body></s:Envelope>", 500);
            Assert.Equal("UpnpSoapFault", ex.ErrorId);
            Assert.Contains("Busy", ex.Message);
        }

        [Theory]
        [InlineData(500, "<html><body>Internal error</body></html>")]
        [InlineData(500, "<s:Envelope xmlns:s=\"x\"><s:Body><u:R xmlns:u=\"y\"/></s:Body></s:Envelope>")]
        [InlineData(500, "")]
        public void Http500WithoutAFaultIsAnHttpError(int status, string body)
        {
            var ex = Fails<UpnpException>(body, status);
            Assert.Equal("UpnpHttpError500", ex.ErrorId);
            Assert.Contains("HTTP 500", ex.Message);
        }

        [Theory]
        [InlineData(404, UpnpErrorCategory.ObjectNotFound)]
        [InlineData(401, UpnpErrorCategory.PermissionDenied)]
        [InlineData(400, UpnpErrorCategory.ProtocolError)]
        [InlineData(503, UpnpErrorCategory.ResourceUnavailable)]
        public void OtherHttpErrorsAreNamedByStatusEvenWithAFaultBody(int status, UpnpErrorCategory category)
        {
            var ex = Fails<UpnpException>(Fault718, status);
            Assert.Equal("UpnpHttpError" + status, ex.ErrorId);
            Assert.Equal(category, ex.Category);
            Assert.Equal(ControlUrl, ex.Target);
        }

        [Theory]
        [InlineData("")]
        [InlineData("not xml at all")]
        [InlineData("<s:Envelope xmlns:s=\"x\"><s:Body><u:R xmlns:u=\"y\"><NewExternalIPAddress>1.2.3.4</NewExternalIPAddress></u:R></s:Body>")]
        [InlineData("<s:Envelope xmlns:s=\"x\"><s:Body><u:R><NewExternalIPAddress>1.2.3.4</NewExternalIPAddress></u:R></s:Body></s:Envelope>")]
        [InlineData("<s:Envelope xmlns:s=\"x\"><s:Header/></s:Envelope>")]
        [InlineData("<s:Envelope xmlns:s=\"x\"><s:Body></s:Body></s:Envelope>")]
        [InlineData("<root><Body><R/></Body></root>")]
        [InlineData("<s:Envelope xmlns:s=\"x\"><s:Body><u:R xmlns:u=\"y\"><A>&unknown;</A></u:R></s:Body></s:Envelope>")]
        public void MalformedAnswersAreUpnpMalformedResponse(string xml)
        {
            var ex = Fails<UpnpException>(xml);
            Assert.Equal("UpnpMalformedResponse", ex.ErrorId);
            Assert.Equal(UpnpErrorCategory.InvalidData, ex.Category);
            Assert.Contains("GetExternalIPAddress", ex.Message);
        }

        [Theory]
        [InlineData("<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><s:Envelope xmlns:s=\"x\"><s:Body><u:R xmlns:u=\"y\"><A>&x;</A></u:R></s:Body></s:Envelope>")]
        [InlineData("<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><s:Envelope xmlns:s=\"x\"><s:Body><u:R xmlns:u=\"y\"><A>&c;</A></u:R></s:Body></s:Envelope>")]
        public void RefusesAnyDtdSoNoEntityIsExpandedOrFetched(string xml)
        {
            var ex = Fails<UpnpException>(xml);
            Assert.Equal("UpnpMalformedResponse", ex.ErrorId);
            Assert.Contains("DTD", ex.Message, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void BareTextInsideTheResponseElementIsKept()
        {
            var response = Ok("<s:Envelope xmlns:s=\"x\"><s:Body><u:R xmlns:u=\"y\">\n 203.0.113.9 \n</u:R></s:Body></s:Envelope>");
            Assert.Empty(response.Arguments);
            Assert.Equal("203.0.113.9", response.BareText);
        }
    }
}
