using System;
using System.Net;

namespace PSUpnp.Igd
{
    /// <summary>A port mapping the caller wants the router to hold.</summary>
    internal sealed class PortMappingRequest
    {
        /// <summary>The lease given when the caller names none: long enough for a session, short enough that a forgotten mapping goes away.</summary>
        public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromHours(2);

        public int ExternalPort { get; set; }
        /// <summary>0 means the same as ExternalPort.</summary>
        public int InternalPort { get; set; }
        public PortMappingProtocol Protocol { get; set; } = PortMappingProtocol.TCP;
        /// <summary>Null: the gateway's LocalAddress, the address of this host's interface that reaches it.</summary>
        public IPAddress? InternalClient { get; set; }
        public string Description { get; set; } = "PSUpnp";
        /// <summary>TimeSpan.Zero asks for a permanent mapping.</summary>
        public TimeSpan LeaseDuration { get; set; } = DefaultLeaseDuration;
        /// <summary>Null: any remote host.</summary>
        public IPAddress? RemoteHost { get; set; }
        /// <summary>Take over a mapping that another internal client holds.</summary>
        public bool Force { get; set; }
        public bool Enabled { get; set; } = true;

        /// <summary>
        /// The caller added this mapping earlier and is renewing it (a renewal loop). If the router no longer holds it
        /// (a restart forgets every mapping), it is created again: the result says Created, and a warning says the
        /// mapping had vanished.
        /// </summary>
        public bool IsRenewal { get; set; }

        /// <summary>IPv6 pinholes only: the only remote port allowed through; null: any.</summary>
        public int? RemotePort { get; set; }

        /// <summary>IPv6 pinholes only: the router's UniqueID of the pinhole a renewal updates (UpdatePinhole).</summary>
        public int? PinholeId { get; set; }
    }
}
