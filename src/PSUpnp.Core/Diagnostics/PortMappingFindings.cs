using System;
using System.Net;

namespace PSUpnp.Diagnostics
{
    /// <summary>What a listening check found on this host.</summary>
    internal enum ListenerState
    {
        /// <summary>Not looked at (no gateway, so no address to look on).</summary>
        NotChecked,

        /// <summary>TCP: a connection to the internal client's port was accepted.</summary>
        Listening,

        /// <summary>TCP: refused or silent.</summary>
        NotListening,

        /// <summary>UDP: a socket is bound to the port (whether it answers cannot be told).</summary>
        UdpBound,

        /// <summary>UDP: no socket is bound to the port that this host can see.</summary>
        UdpNotBound,
    }

    /// <summary>
    /// Everything Test-UpnpPortMapping found, before any judgement: the engine gathers it (one step at a time, traced),
    /// <see cref="PortMappingJudge"/> turns it into checks and a verdict without I/O.
    /// </summary>
    internal sealed class PortMappingFindings
    {
        public int ExternalPort { get; set; }

        public PortMappingProtocol Protocol { get; set; }

        /// <summary>-InternalPort; null when not given (the mapping's own port is then not judged).</summary>
        public int? InternalPort { get; set; }

        public DateTimeOffset Now { get; set; }

        public UpnpGateway? Gateway { get; set; }

        /// <summary>Why no gateway could be used (discovery or the description read failed).</summary>
        public string? GatewayError { get; set; }

        /// <summary>The gateway was resolved (given, or remembered by the session) but does not answer any more.</summary>
        public bool GatewayGone { get; set; }

        public UpnpExternalAddress? External { get; set; }

        public string? ExternalError { get; set; }

        /// <summary>The address the STUN server saw; null when none answered.</summary>
        public IPAddress? StunAddress { get; set; }

        public string? StunServer { get; set; }

        public string? StunError { get; set; }

        public UpnpPortMapping? Mapping { get; set; }

        /// <summary>Why the mapping could not be looked up (an error other than "no such entry").</summary>
        public string? MappingError { get; set; }

        /// <summary>Why the mapping cannot be looked up at all: the gateway speaks only PCP or NAT-PMP, which have no lookup.</summary>
        public string? MappingUnknowable { get; set; }

        public ListenerState Listener { get; set; }

        /// <summary>True: a connection to the external address from this host reached the port; false: it did not; null: not tried.</summary>
        public bool? Hairpin { get; set; }

        public string? HairpinDetail { get; set; }

        /// <summary>Where the mapping should lead: this host's address toward the gateway.</summary>
        public IPAddress? ThisHost => Gateway?.LocalAddress;

        /// <summary>The internal port judged and probed: -InternalPort, else the mapping's, else the external port.</summary>
        public int EffectiveInternalPort => InternalPort ?? Mapping?.InternalPort ?? ExternalPort;
    }
}
