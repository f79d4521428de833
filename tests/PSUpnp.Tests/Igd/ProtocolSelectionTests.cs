using PSUpnp.Igd;
using Xunit;

namespace PSUpnp.Tests.ModuleEngine
{
    public sealed class ProtocolSelectionTests
    {
        [Fact]
        public void BothExpandsToOneTCPAndOneUDPMappingTCPFirst()
        {
            Assert.Equal(new[] { PortMappingProtocol.TCP, PortMappingProtocol.UDP }, ProtocolSelection.Both.Expand());
        }

        [Theory]
        [InlineData(ProtocolSelection.TCP, PortMappingProtocol.TCP)]
        [InlineData(ProtocolSelection.UDP, PortMappingProtocol.UDP)]
        public void ASingleProtocolExpandsToItself(ProtocolSelection selection, PortMappingProtocol expected)
        {
            Assert.Equal(expected, Assert.Single(selection.Expand()));
        }

        [Fact]
        public void AnUndefinedSelectionIsRejected()
        {
            Assert.Throws<System.ArgumentOutOfRangeException>(() => ((ProtocolSelection)7).Expand());
        }
    }
}
