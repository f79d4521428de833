using System;
using PSUpnp.Igd;
using PSUpnp.Soap;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>What a router's refusal means to the engine (IgdFaults): the codes routers use for the same thing, read one way.</summary>
    public sealed class FaultClassificationTests
    {
        [Theory]
        [InlineData(713, true)]
        [InlineData(714, true)]
        [InlineData(402, true)]
        [InlineData(501, true)]
        [InlineData(601, true)]
        [InlineData(730, false)]
        [InlineData(718, false)]
        [InlineData(606, false)]
        public void EveryWayOfSayingPastTheEndOfTheTableEndsTheIteration(int code, bool ends) =>
            Assert.Equal(ends, IgdFaults.IsEndOfTable(code));

        [Theory]
        [InlineData(730, true)]
        [InlineData(713, true)]
        [InlineData(714, true)]
        [InlineData(402, false)]
        [InlineData(501, false)]
        [InlineData(606, false)]
        public void NothingLeftInTheListingRangeEndsTheListing(int code, bool ends) =>
            Assert.Equal(ends, IgdFaults.IsEndOfList(code));

        [Theory]
        [InlineData(725, 1, true)]
        [InlineData(725, 2, true)]
        [InlineData(402, 1, true)]
        [InlineData(402, 2, false)]
        [InlineData(718, 1, false)]
        public void ARefusedLeaseIs725OrAV1Routers402(int code, int serviceVersion, bool refusesLeases) =>
            Assert.Equal(refusesLeases, IgdFaults.RefusesLeases(code, serviceVersion));

        [Fact]
        public void AnAnswerThatIsUselessIsADeviceRefusalButSilenceOrNoConnectionIsNot()
        {
            var url = new Uri("http://192.168.1.1:5000/ctl/IPConn");
            Assert.True(IgdFaults.IsDeviceRefusal(new UpnpFaultException(501, "x", "GetListOfPortMappings", url)));
            Assert.True(IgdFaults.IsDeviceRefusal(SoapErrors.Malformed("GetListOfPortMappings", url, "garbage", null)));
            Assert.True(IgdFaults.IsDeviceRefusal(SoapErrors.Http(404, "Not Found", "GetListOfPortMappings", url)));
            Assert.False(IgdFaults.IsDeviceRefusal(new UpnpTimeoutException("silent", TimeSpan.FromSeconds(5), url)));
        }
    }
}
