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
        public void Zero_and_whole_seconds_up_to_the_ui4_limit_are_accepted(long seconds)
        {
            Assert.Null(LeaseDurationRule.Problem(TimeSpan.FromSeconds(seconds)));
        }

        [Fact]
        public void The_default_lease_is_accepted()
        {
            Assert.Null(LeaseDurationRule.Problem(PortMappingRequest.DefaultLeaseDuration));
        }

        [Fact]
        public void A_negative_lease_is_rejected_with_what_to_write_instead()
        {
            var problem = LeaseDurationRule.Problem(TimeSpan.FromMinutes(-5));

            Assert.NotNull(problem);
            Assert.Contains("negative", problem, StringComparison.Ordinal);
            Assert.Contains("0 for a permanent mapping", problem, StringComparison.Ordinal);
        }

        [Fact]
        public void A_bare_number_read_as_ticks_is_rejected_rather_than_becoming_permanent()
        {
            var problem = LeaseDurationRule.Problem(TimeSpan.FromTicks(3600));

            Assert.NotNull(problem);
            Assert.Contains("ticks", problem, StringComparison.Ordinal);
        }

        [Fact]
        public void A_lease_beyond_the_ui4_range_is_rejected()
        {
            Assert.NotNull(LeaseDurationRule.Problem(TimeSpan.FromSeconds(uint.MaxValue + 1L)));
        }
    }
}
