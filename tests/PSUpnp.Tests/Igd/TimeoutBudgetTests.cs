using System;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Net;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>
    /// -TimeoutSec is the budget of every exchange with the router: a router that takes 7 s to commit an AddPortMapping
    /// fails the default and succeeds with a larger one, and the router ends up holding the one mapping asked for (a copy
    /// sent again after silence is the same mapping; the last copy waits for the whole bound).
    /// </summary>
    public sealed class TimeoutBudgetTests : IDisposable
    {
        private static readonly TimeSpan RouterCommitTime = TimeSpan.FromSeconds(7);
        private readonly FakeIgdServer _server = new FakeIgdServer();
        private readonly ListTrace _trace = new ListTrace();

        public TimeoutBudgetTests()
        {
            _server.Script = call => call.Action == "AddPortMapping" ? FakeReply.Slow(RouterCommitTime) : null;
        }

        public void Dispose() => _server.Dispose();

        private static PortMappingRequest Request() => new PortMappingRequest { ExternalPort = 8080, Description = "slow router" };

        [Fact]
        public async Task TheDefaultTimeoutGivesUpOnARouterSlowerThanItWithTheTimeoutError()
        {
            // What a cmdlet without -TimeoutSec builds: UpnpCmdletBase.DefaultTimeoutSec is HttpLimits.DefaultTimeout.
            var client = new IgdClient(_server.Gateway, _trace);
            Assert.Equal(HttpLimits.DefaultTimeout, client.Timeout);
            Assert.True(client.Timeout < RouterCommitTime, "the default must be shorter than the router's commit for this test to prove anything");

            var error = await Assert.ThrowsAsync<UpnpTimeoutException>(() => client.AddPortMappingAsync(Request(), CancellationToken.None));

            Assert.Equal("UpnpTimeout", error.ErrorId);
            Assert.Equal(UpnpErrorCategory.OperationTimeout, error.Category);
            Assert.Equal(HttpLimits.DefaultTimeout, error.Timeout);
            Assert.Contains("-TimeoutSec", error.RecommendedAction, StringComparison.Ordinal);
            Assert.InRange(_server.CallCount("AddPortMapping"), 1, HttpRetryPolicy.Default.MaxSends);
            Assert.True(_server.Table.Count <= 1, _server.Table.Count + " mappings for one add");
        }

        [Fact]
        public async Task ALargerTimeoutReachesTheAddAndTheMappingIsMadeOnce()
        {
            var client = new IgdClient(_server.Gateway, _trace, null, TimeSpan.FromSeconds(10));

            var result = await client.AddPortMappingAsync(Request(), CancellationToken.None);

            Assert.Equal(PortMappingChange.Created, result.Change);
            Assert.Equal(8080, result.Mapping.ExternalPort);
            Assert.InRange(_server.CallCount("AddPortMapping"), 1, HttpRetryPolicy.Default.MaxSends);
            var held = Assert.Single(_server.Table);
            Assert.Equal(8080, held.ExternalPort);
        }

        [Fact]
        public void ATimeoutThatIsNotPositiveIsRefusedBeforeAnyRequest()
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new IgdClient(_server.Gateway, _trace, null, TimeSpan.Zero));

            Assert.Equal("timeout", error.ParamName);
            Assert.Empty(_server.Calls);
        }
    }
}
