using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>
    /// A router that keeps only permanent mappings says so with 725, or, on some IGD v1 routers, with 402 InvalidArgs
    /// (tailscale#15223): the user gets the same permanent mapping and the same warning from both.
    /// </summary>
    public sealed class LeaseRefusalTests : IDisposable
    {
        private FakeIgdServer? _server;

        public void Dispose() => _server?.Dispose();

        private FakeIgdServer Server(int version, int refusal)
        {
            _server = new FakeIgdServer(version) { OnlyPermanentLeases = true, PermanentLeasesFault = refusal };
            return _server;
        }

        private static PortMappingRequest Request() => new PortMappingRequest { ExternalPort = 8080, LeaseDuration = TimeSpan.FromHours(1) };

        [Theory]
        [InlineData(725)]
        [InlineData(402)]
        public async Task AV1RouterThatRefusesLeasesWith725Or402GetsOnePermanentMappingAndTheSameWarning(int refusal)
        {
            var server = Server(1, refusal);

            var result = await new IgdClient(server.Gateway, new ListTrace(), new FakeClock()).AddPortMappingAsync(Request(), CancellationToken.None);

            Assert.Equal(new[] { "3600", "0" }, server.Calls.Where(c => c.Action == "AddPortMapping").Select(c => c["NewLeaseDuration"]));
            Assert.True(result.Mapping.IsPermanent);
            var warning = Assert.Single(result.Warnings);
            Assert.Contains("only supports permanent leases", warning, StringComparison.Ordinal);
            Assert.Contains(refusal.ToString(System.Globalization.CultureInfo.InvariantCulture), warning, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A402ThatIsNotAboutTheLeaseIsReportedAsTheRoutersFirstAnswer()
        {
            var server = Server(1, 402);
            server.Script = call => call.Action == "AddPortMapping" ? FakeReply.Fault(402) : null;

            var error = await Assert.ThrowsAsync<UpnpFaultException>(() => new IgdClient(server.Gateway).AddPortMappingAsync(Request(), CancellationToken.None));

            Assert.Equal(402, error.ErrorCode);
            Assert.Equal("3600", server.Calls.First(c => c.Action == "AddPortMapping")["NewLeaseDuration"]);
            Assert.Empty(server.Table);
        }

        [Fact]
        public async Task OnIGDV2A402KeepsItsOwnMeaningSinceAPermanentLeaseIsNotAllowedThere()
        {
            var server = Server(2, 402);

            var error = await Assert.ThrowsAsync<UpnpFaultException>(() => new IgdClient(server.Gateway).AddPortMappingAsync(Request(), CancellationToken.None));

            Assert.Equal(402, error.ErrorCode);
            Assert.Equal(1, server.CallCount("AddPortMapping"));
        }
    }
}
