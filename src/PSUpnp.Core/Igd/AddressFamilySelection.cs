using System;
using System.Collections.Generic;
using System.Net.Sockets;

namespace PSUpnp.Igd
{
    /// <summary>
    /// Which address families a request names: an IPv4 port mapping, an IPv6 pinhole, or both at once (a port that
    /// must be reachable from peers of either family, each result saying which family it is).
    /// </summary>
    public enum AddressFamilySelection
    {
        IPv4,
        IPv6,
        Both,
    }

    public static class AddressFamilySelectionExtensions
    {
        private static readonly AddressFamily[] V4 = { AddressFamily.InterNetwork };
        private static readonly AddressFamily[] V6 = { AddressFamily.InterNetworkV6 };
        private static readonly AddressFamily[] V4AndV6 = { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 };

        /// <summary>The families to ask for, one result each, IPv4 first.</summary>
        public static IReadOnlyList<AddressFamily> Expand(this AddressFamilySelection selection) => selection switch
        {
            AddressFamilySelection.IPv4 => V4,
            AddressFamilySelection.IPv6 => V6,
            AddressFamilySelection.Both => V4AndV6,
            _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, "Expected IPv4, IPv6 or Both."),
        };
    }
}
