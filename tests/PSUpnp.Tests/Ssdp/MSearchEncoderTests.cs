using System;
using System.Net;
using System.Text;
using PSUpnp.Ssdp;
using Xunit;

namespace PSUpnp.Tests.Ssdp
{
    public class MSearchEncoderTests
    {
        [Fact]
        public void MulticastSearchIsEncodedExactlyAsUda11Spells()
        {
            var bytes = MSearchEncoder.Multicast(SearchTarget.InternetGatewayDevice1, 1);

            Assert.Equal(
                "M-SEARCH * HTTP/1.1\r\n" +
                "HOST: 239.255.255.250:1900\r\n" +
                "MAN: \"ssdp:discover\"\r\n" +
                "MX: 1\r\n" +
                "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n" +
                "\r\n",
                Encoding.ASCII.GetString(bytes));
        }

        [Fact]
        public void UnicastSearchNamesTheDeviceInHostAndHasNoMx()
        {
            var bytes = MSearchEncoder.Unicast(new IPEndPoint(IPAddress.Parse("192.168.1.1"), 1900), SearchTarget.WanIPConnection2);

            Assert.Equal(
                "M-SEARCH * HTTP/1.1\r\n" +
                "HOST: 192.168.1.1:1900\r\n" +
                "MAN: \"ssdp:discover\"\r\n" +
                "ST: urn:schemas-upnp-org:service:WANIPConnection:2\r\n" +
                "\r\n",
                Encoding.ASCII.GetString(bytes));
        }

        [Fact]
        public void EncodedSearchIsPureAsciiBytes()
        {
            var bytes = MSearchEncoder.Multicast(SearchTarget.WanPppConnection1, 5);

            Assert.Equal(Encoding.ASCII.GetByteCount(Encoding.ASCII.GetString(bytes)), bytes.Length);
            Assert.All(bytes, b => Assert.InRange(b, (byte)0x0A, (byte)0x7E));
            Assert.Equal((byte)'\n', bytes[bytes.Length - 1]);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(6)]
        [InlineData(-1)]
        public void MxOutsideOneToFiveIsRefused(int mx)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => MSearchEncoder.Multicast(SearchTarget.InternetGatewayDevice1, mx));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(5)]
        public void MxAtTheBoundsIsWritten(int mx)
        {
            var text = Encoding.ASCII.GetString(MSearchEncoder.Multicast(SearchTarget.InternetGatewayDevice2, mx));

            Assert.Contains("\r\nMX: " + mx + "\r\n", text, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("")]
        [InlineData("urn:a b")]
        [InlineData("urn:x\r\nMAN: evil")]
        [InlineData("urn:é")]
        public void SearchTargetThatWouldCorruptTheRequestIsRefused(string target)
        {
            Assert.Throws<ArgumentException>(() => MSearchEncoder.Multicast(target, 1));
        }

        [Fact]
        public void GatewayTargetsAskForBothIgdVersionsAndEveryConnectionService()
        {
            Assert.Equal(5, SearchTarget.Gateway.Count);
            Assert.Contains("urn:schemas-upnp-org:device:InternetGatewayDevice:1", SearchTarget.Gateway);
            Assert.Contains("urn:schemas-upnp-org:device:InternetGatewayDevice:2", SearchTarget.Gateway);
            Assert.Contains("urn:schemas-upnp-org:service:WANIPConnection:1", SearchTarget.Gateway);
            Assert.Contains("urn:schemas-upnp-org:service:WANIPConnection:2", SearchTarget.Gateway);
            Assert.Contains("urn:schemas-upnp-org:service:WANPPPConnection:1", SearchTarget.Gateway);
            Assert.All(SearchTarget.Gateway, t => Assert.StartsWith("urn:schemas-upnp-org:", t, StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("urn:schemas-upnp-org:device:InternetGatewayDevice:1", true)]
        [InlineData("URN:SCHEMAS-UPNP-ORG:SERVICE:WANIPCONNECTION:2", true)]
        [InlineData("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1", false)]
        [InlineData("ssdp:urn:schemas-upnp-org:device:InternetGatewayDevice:1", false)]
        [InlineData(null, false)]
        public void IsGatewayRecognisesOnlyTheSearchedTargets(string? target, bool expected)
        {
            Assert.Equal(expected, SearchTarget.IsGateway(target));
        }
    }
}
