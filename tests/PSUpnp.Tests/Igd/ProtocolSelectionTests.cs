using PSUpnp.Igd;
using Xunit;

namespace PSUpnp.Tests.ModuleEngine
{
    public sealed class ProtocolSelectionTests
    {
        [Fact]
        public void Both_expands_to_one_TCP_and_one_UDP_mapping_TCP_first()
        {
            Assert.Equal(new[] { PortMappingProtocol.TCP, PortMappingProtocol.UDP }, ProtocolSelection.Both.Expand());
        }

        [Theory]
        [InlineData(ProtocolSelection.TCP, PortMappingProtocol.TCP)]
        [InlineData(ProtocolSelection.UDP, PortMappingProtocol.UDP)]
        public void A_single_protocol_expands_to_itself(ProtocolSelection selection, PortMappingProtocol expected)
        {
            Assert.Equal(expected, Assert.Single(selection.Expand()));
        }

        [Fact]
        public void An_undefined_selection_is_rejected()
        {
            Assert.Throws<System.ArgumentOutOfRangeException>(() => ((ProtocolSelection)7).Expand());
        }
    }
}
