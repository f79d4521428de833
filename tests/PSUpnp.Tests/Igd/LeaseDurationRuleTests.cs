using System;
using PSUpnp.Igd;
using Xunit;

namespace PSUpnp.Tests.ModuleEngine
{
    public sealed class LeaseDurationRuleTests
    {
        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(7200)]
        [InlineData(604800)]
        [InlineData(uint.MaxValue)]
        public void ZeroAndWholeSecondsUpToTheUi4LimitAreAccepted(long seconds)
        {
            Assert.Null(LeaseDurationRule.Problem(TimeSpan.FromSeconds(seconds)));
        }

        [Fact]
        public void TheDefaultLeaseIsAccepted()
        {
            Assert.Null(LeaseDurationRule.Problem(PortMappingRequest.DefaultLeaseDuration));
        }

        [Fact]
        public void ANegativeLeaseIsRejectedWithWhatToWriteInstead()
        {
            var problem = LeaseDurationRule.Problem(TimeSpan.FromMinutes(-5));

            Assert.NotNull(problem);
            Assert.Contains("negative", problem, StringComparison.Ordinal);
            Assert.Contains("0 for a permanent mapping", problem, StringComparison.Ordinal);
        }

        [Fact]
        public void ABareNumberReadAsTicksIsRejectedRatherThanBecomingPermanent()
        {
            var problem = LeaseDurationRule.Problem(TimeSpan.FromTicks(3600));

            Assert.NotNull(problem);
            Assert.Contains("ticks", problem, StringComparison.Ordinal);
        }

        [Fact]
        public void ALeaseBeyondTheUi4RangeIsRejected()
        {
            Assert.NotNull(LeaseDurationRule.Problem(TimeSpan.FromSeconds(uint.MaxValue + 1L)));
        }
    }
}
