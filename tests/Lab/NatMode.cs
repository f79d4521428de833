using System;

namespace PSUpnp.Lab
{
    /// <summary>The router's NAT behaviour for UDP from the private LAN (lab.sh nat MODE).</summary>
    public enum NatMode
    {
        /// <summary>No NAT at all: only the lan client's open address (LanOpenAddress) reaches the WAN.</summary>
        Open,

        /// <summary>Linux masquerade: endpoint-independent mapping, address-and-port-dependent filtering.</summary>
        PortRestricted,

        /// <summary>masquerade fully-random: address-and-port-dependent mapping and filtering.</summary>
        Symmetric,

        /// <summary>Endpoint-independent mapping and filtering (UDP).</summary>
        FullCone,

        /// <summary>Endpoint-independent mapping, address-dependent filtering (UDP).</summary>
        AddressRestricted,

        /// <summary>Forwarded UDP dropped both ways; the router itself still answers SSDP, NAT-PMP and PCP.</summary>
        UdpBlocked,
    }

    /// <summary>NAT modes' names in lab.sh and what turnutils_natdiscovery must see in each.</summary>
    public static class NatModes
    {
        public static string ToLabName(NatMode mode)
        {
            switch (mode)
            {
                case NatMode.Open: return "open";
                case NatMode.PortRestricted: return "port-restricted";
                case NatMode.Symmetric: return "symmetric";
                case NatMode.FullCone: return "full-cone";
                case NatMode.AddressRestricted: return "address-restricted";
                case NatMode.UdpBlocked: return "udp-blocked";
                default: throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown NAT mode");
            }
        }

        public static NatMode Parse(string labName)
        {
            foreach (NatMode mode in Enum.GetValues(typeof(NatMode)))
            {
                if (ToLabName(mode) == labName)
                {
                    return mode;
                }
            }

            throw new FormatException("unknown NAT mode '" + labName + "'");
        }

        /// <summary>The RFC 5780 mapping behaviour the lab's router shows in a mode (NoAnswer when UDP is blocked).</summary>
        public static NatBehavior ExpectedMapping(NatMode mode)
        {
            switch (mode)
            {
                case NatMode.Symmetric: return NatBehavior.AddressAndPortDependent;
                case NatMode.UdpBlocked: return NatBehavior.NoAnswer;
                default: return NatBehavior.EndpointIndependent;
            }
        }

        /// <summary>The RFC 5780 filtering behaviour the lab's router shows in a mode (NoAnswer when UDP is blocked).</summary>
        public static NatBehavior ExpectedFiltering(NatMode mode)
        {
            switch (mode)
            {
                case NatMode.Open:
                case NatMode.FullCone: return NatBehavior.EndpointIndependent;
                case NatMode.AddressRestricted: return NatBehavior.AddressDependent;
                case NatMode.UdpBlocked: return NatBehavior.NoAnswer;
                default: return NatBehavior.AddressAndPortDependent;
            }
        }
    }
}
