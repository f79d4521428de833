using System;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>
    /// Removing a mapping gives the same answer on every router: what is not there is UpnpMappingNotFound, whether the
    /// router answers such a DeletePortMapping with 714 (the standard) or with success (miniupnpd); what is removed is
    /// returned as the router held it.
    /// </summary>
    public sealed class RemoveMappingTests : IDisposable
    {
        private readonly FakeIgdServer _server = new FakeIgdServer();
        private readonly ListTrace _trace = new ListTrace();

        public void Dispose() => _server.Dispose();

        private IgdClient Client() => new IgdClient(_server.Gateway, _trace, new FakeClock());

        private FakeMapping Mine(int port) => new FakeMapping(string.Empty, port, "TCP", 9090, FakeIgdServer.LocalAddress.ToString(), true, "mine", 3600);

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task RemovingAMappingThatIsNotThereIsMappingNotFoundWhateverTheRouterAnswersToTheDelete(bool deleteOfMissingSucceeds)
        {
            _server.DeleteOfMissingSucceeds = deleteOfMissingSucceeds;

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() => Client().RemovePortMappingAsync(null, 48099, PortMappingProtocol.TCP, CancellationToken.None));

            Assert.Equal("UpnpMappingNotFound", error.ErrorId);
            Assert.Same(UpnpErrors.MappingNotFound, error.Entry);
            Assert.Equal(UpnpErrorCategory.ObjectNotFound, error.Category);
            Assert.Contains("48099", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, _server.CallCount("DeletePortMapping"));
        }

        [Fact]
        public async Task RemovingReturnsTheMappingAsTheRouterHeldIt()
        {
            _server.Add(Mine(48100));

            var removed = await Client().RemovePortMappingAsync(null, 48100, PortMappingProtocol.TCP, CancellationToken.None);

            Assert.NotNull(removed);
            Assert.Equal(9090, removed!.InternalPort);
            Assert.Equal("mine", removed.Description);
            Assert.Empty(_server.Table);
        }

        [Fact]
        public async Task AMappingGoneBetweenTheLookAndTheDeleteIsMappingNotFoundToo()
        {
            _server.Add(Mine(48101));
            _server.Script = call =>
            {
                if (call.Action == "DeletePortMapping")
                {
                    _server.Clear();
                }

                return null;
            };

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() => Client().RemovePortMappingAsync(null, 48101, PortMappingProtocol.TCP, CancellationToken.None));

            Assert.Equal("UpnpMappingNotFound", error.ErrorId);
            Assert.Equal(714, Assert.IsType<UpnpFaultException>(error.InnerException).ErrorCode);
        }

        [Theory]
        [InlineData(true, "UpnpMappingNotFound")]
        [InlineData(false, null)]
        public async Task ARouterThatCannotAnswerTheLookIsAskedToDeleteAndItsAnswerDecides(bool missing, string? errorId)
        {
            if (!missing)
            {
                _server.Add(Mine(48102));
            }

            _server.Script = call => call.Action == "GetSpecificPortMappingEntry" ? FakeReply.Fault(501) : null;
            var remove = Client().RemovePortMappingAsync(null, 48102, PortMappingProtocol.TCP, CancellationToken.None);

            if (errorId == null)
            {
                Assert.Null(await remove);
                Assert.Empty(_server.Table);
            }
            else
            {
                Assert.Equal(errorId, (await Assert.ThrowsAnyAsync<UpnpException>(() => remove)).ErrorId);
            }

            Assert.Equal(1, _server.CallCount("DeletePortMapping"));
        }
    }
}
