using System;
using PSUpnp.Soap;
using Xunit;

namespace PSUpnp.Tests.Soap
{
    public sealed class PortMappingListParserTests
    {
        private static readonly Uri ControlUrl = new Uri("http://192.168.1.1:5000/ctl/IPConn");

        [Fact]
        public void ReadsEntriesByLocalName()
        {
            var doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><p:PortMappingList xmlns:p=\"urn:schemas-upnp-org:gw:WANIPConnection\">"
                + "<p:PortMappingEntry><p:NewExternalPort>80</p:NewExternalPort><p:NewDescription>a &amp; b</p:NewDescription></p:PortMappingEntry>"
                + "<p:PortMappingEntry><p:NewExternalPort>81</p:NewExternalPort></p:PortMappingEntry></p:PortMappingList>";
            var entries = PortMappingListParser.Parse(doc, "GetListOfPortMappings", ControlUrl);
            Assert.Equal(2, entries.Count);
            Assert.Equal("80", entries[0].Get("NewExternalPort"));
            Assert.Equal("a & b", entries[0].Get("NewDescription"));
            Assert.Equal("81", entries[1].Get("NewExternalPort"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("  ")]
        [InlineData("<PortMappingList/>")]
        public void AnEmptyListingHasNoEntries(string doc)
        {
            Assert.Empty(PortMappingListParser.Parse(doc, "GetListOfPortMappings", ControlUrl));
        }

        [Theory]
        [InlineData("<PortMappingList><PortMappingEntry>")]
        [InlineData("<Other/>")]
        [InlineData("<!DOCTYPE PortMappingList [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><PortMappingList>&x;</PortMappingList>")]
        public void AMalformedListingIsUpnpMalformedResponse(string doc)
        {
            var ex = Assert.ThrowsAny<UpnpException>(() => PortMappingListParser.Parse(doc, "GetListOfPortMappings", ControlUrl));
            Assert.Equal("UpnpMalformedResponse", ex.ErrorId);
        }
    }
}
