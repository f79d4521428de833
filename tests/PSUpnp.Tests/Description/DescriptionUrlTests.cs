using System;
using PSUpnp.Description;
using Xunit;

namespace PSUpnp.Tests.Description
{
    public class DescriptionUrlTests
    {
        private static readonly Uri DescriptionAt = new Uri("http://192.168.1.1:5000/dev/rootDesc.xml");

        [Fact]
        public void ValidUrlBaseIsTheBase()
        {
            Assert.Equal(new Uri("http://192.168.1.1:49152"), DescriptionUrl.BaseOf("http://192.168.1.1:49152", DescriptionAt));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("http://%s:%d")]
        [InlineData("http://127.0.0.1:{port}")]
        [InlineData("/relative")]
        [InlineData("ftp://192.168.1.1/")]
        public void AbsentOrUnusableUrlBaseFallsBackToTheDescriptionUrl(string? urlBase)
        {
            Assert.Same(DescriptionAt, DescriptionUrl.BaseOf(urlBase, DescriptionAt));
        }

        [Theory]
        [InlineData("/ctl/IPConn", "http://192.168.1.1:5000/ctl/IPConn")]
        [InlineData("ctl/IPConn", "http://192.168.1.1:5000/dev/ctl/IPConn")]
        [InlineData("/soap.cgi?service=WANIPConn1", "http://192.168.1.1:5000/soap.cgi?service=WANIPConn1")]
        [InlineData("/uuid:70f196f9/WANPPPConnection:1", "http://192.168.1.1:5000/uuid:70f196f9/WANPPPConnection:1")]
        [InlineData("uuid:70f196f9/WANPPPConnection:1", "http://192.168.1.1:5000/dev/uuid:70f196f9/WANPPPConnection:1")]
        [InlineData("http://192.168.0.1:4444/wipconn", "http://192.168.0.1:4444/wipconn")]
        [InlineData("HTTP://192.168.0.1:4444/wipconn", "http://192.168.0.1:4444/wipconn")]
        [InlineData("file:///etc/passwd", "http://192.168.1.1:5000/dev/file:///etc/passwd")]
        [InlineData("javascript:alert(1)", "http://192.168.1.1:5000/dev/javascript:alert(1)")]
        public void ControlUrlIsResolvedAbsoluteOrRelative(string value, string expected)
        {
            Assert.Equal(new Uri(expected), DescriptionUrl.Resolve(DescriptionAt, value));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("http://%s:%d/wipconn")]
        [InlineData("http://")]
        [InlineData("http://[fe80::1/x")]
        public void UnusableUrlsResolveToNull(string? value)
        {
            Assert.Null(DescriptionUrl.Resolve(DescriptionAt, value));
        }
    }
}
