using System;

namespace PSUpnp.Lab
{
    /// <summary>
    /// A situation around the router that makes port mappings fail in the field (lab.sh field MODE); each is undone by
    /// <see cref="Normal"/>. The NAT mode (<see cref="NatMode"/>) is independent of it.
    /// </summary>
    public enum FieldMode
    {
        /// <summary>The default lab: the router's WAN address is RouterWanAddress, miniupnpd as configured by up.</summary>
        Normal,

        /// <summary>
        /// A carrier NAT (the edge namespace) between the router and the WAN host: the router's WAN address is
        /// CgnatRouterAddress (100.64/10), the carrier masquerades it to EdgeWanAddress. miniupnpd learns that address
        /// with STUN and grants mappings that end at the carrier.
        /// </summary>
        Cgnat,

        /// <summary>
        /// The same carrier NAT, miniupnpd without STUN: it answers GetExternalIPAddress with an empty address and every
        /// AddPortMapping with 501 Action Failed (it disables port forwarding on a reserved WAN address).
        /// </summary>
        CgnatNoStun,

        /// <summary>
        /// The provider's box (the edge namespace, running its own miniupnpd on BoxLanAddress) in front of the router,
        /// whose WAN address is BoxRouterAddress on the box's LAN; the box's public address is EdgeWanAddress.
        /// </summary>
        DoubleRouter,

        /// <summary>The router's WAN address replaced by RouterWanAddressChanged; miniupnpd and its mappings kept.</summary>
        WanChange,

        /// <summary>miniupnpd with enable_upnp=no: no SSDP, no description, no SOAP; NAT-PMP and PCP still answer.</summary>
        UpnpOff,

        /// <summary>No miniupnpd at all: the router routes and filters, but no UPnP, PCP or NAT-PMP answers.</summary>
        PortmapOff,

        /// <summary>miniupnpd with one permission line, deny everything: every AddPortMapping gets 606.</summary>
        DenyAll,

        /// <summary>miniupnpd with secure_mode=no: a client may map a port to another client's address.</summary>
        Insecure,
    }

    /// <summary>Field modes' names in lab.sh.</summary>
    public static class FieldModes
    {
        public static string ToLabName(FieldMode mode)
        {
            switch (mode)
            {
                case FieldMode.Normal: return "normal";
                case FieldMode.Cgnat: return "cgnat";
                case FieldMode.CgnatNoStun: return "cgnat-nostun";
                case FieldMode.DoubleRouter: return "double-router";
                case FieldMode.WanChange: return "wan-change";
                case FieldMode.UpnpOff: return "upnp-off";
                case FieldMode.PortmapOff: return "portmap-off";
                case FieldMode.DenyAll: return "deny-all";
                case FieldMode.Insecure: return "insecure";
                default: throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown field mode");
            }
        }

        public static FieldMode Parse(string labName)
        {
            foreach (FieldMode mode in Enum.GetValues(typeof(FieldMode)))
            {
                if (ToLabName(mode) == labName)
                {
                    return mode;
                }
            }

            throw new FormatException("unknown field mode '" + labName + "'");
        }
    }
}
