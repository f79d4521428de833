using System;
using System.Net;
using PSUpnp.Engine.Ways;
using Xunit;

namespace PSUpnp.Tests.Engine.Ways
{
    /// <summary>A router's epoch going back between two answers of a session is a restart (RFC 6887 8.5, RFC 6886 3.6).</summary>
    public sealed class EpochBookTests
    {
        private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

        [Theory]
        [InlineData(PortMappingMethod.Pcp)]
        [InlineData(PortMappingMethod.NatPmp)]
        public void AnEpochThatWentBackIsARestartAndOneThatKeptPaceIsNot(PortMappingMethod method)
        {
            var book = new EpochBook();
            Assert.False(book.Observe(WayGateways.Router, method, 1000, T0), "a first answer has nothing to compare with");
            Assert.False(book.Observe(WayGateways.Router, method, 1060, T0.AddSeconds(60)), "the epoch kept pace with this host's clock");
            Assert.True(book.Observe(WayGateways.Router, method, 5, T0.AddSeconds(70)), "the epoch went back: the router restarted");
            Assert.False(book.Observe(WayGateways.Router, method, 15, T0.AddSeconds(80)), "after the restart the new epoch is the reference");
        }

        [Fact]
        public void ARouterWhoseEpochStoodStillWhileAMinutePassedLostItsMappings()
        {
            // Restarted 60 s ago when first seen at epoch 2: the second answer should say about 62, says 1.
            var book = new EpochBook();
            book.Observe(WayGateways.Router, PortMappingMethod.Pcp, 2, T0);
            Assert.True(book.Observe(WayGateways.Router, PortMappingMethod.Pcp, 1, T0.AddSeconds(60)));
        }

        [Fact]
        public void EachRouterAndWayHasItsOwnEpoch()
        {
            var book = new EpochBook();
            book.Observe(WayGateways.Router, PortMappingMethod.Pcp, 1000, T0);
            Assert.False(book.Observe(IPAddress.Parse("192.168.2.1"), PortMappingMethod.Pcp, 3, T0.AddSeconds(1)));
            Assert.False(book.Observe(WayGateways.Router, PortMappingMethod.NatPmp, 3, T0.AddSeconds(1)));
        }
    }
}
