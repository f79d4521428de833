using System;
using System.Collections.Generic;

namespace PSUpnp.Igd
{
    /// <summary>Which protocols a request names: one, or both at once (a game or VPN port that needs TCP and UDP).</summary>
    public enum ProtocolSelection
    {
        TCP,
        UDP,
        Both,
    }

    internal static class ProtocolSelectionExtensions
    {
        private static readonly PortMappingProtocol[] TcpOnly = { PortMappingProtocol.TCP };
        private static readonly PortMappingProtocol[] UdpOnly = { PortMappingProtocol.UDP };
        private static readonly PortMappingProtocol[] TcpAndUdp = { PortMappingProtocol.TCP, PortMappingProtocol.UDP };

        /// <summary>The protocols to ask the router for, one mapping each, TCP first.</summary>
        public static IReadOnlyList<PortMappingProtocol> Expand(this ProtocolSelection selection) => selection switch
        {
            ProtocolSelection.TCP => TcpOnly,
            ProtocolSelection.UDP => UdpOnly,
            ProtocolSelection.Both => TcpAndUdp,
            _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, "Expected TCP, UDP or Both."),
        };
    }
}
