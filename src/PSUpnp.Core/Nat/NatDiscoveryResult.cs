using System.Collections.Generic;
using System.Net;
using PSUpnp.Stun;

namespace PSUpnp.Nat
{
    /// <summary>What STUN behaviour discovery found, before the UPnP cross-check (see <see cref="NatTypeResult.Create"/>).</summary>
    public sealed class NatDiscoveryResult
    {
        internal NatDiscoveryResult(
            NatType natType,
            MappingBehavior mapping,
            FilteringBehavior filtering,
            bool? hairpinning,
            bool? isDirect,
            IPEndPoint localEndpoint,
            IPEndPoint? publicEndpoint,
            string server,
            IPEndPoint? serverEndpoint,
            IPEndPoint? otherAddress,
            string? reason,
            IReadOnlyList<NatTestOutcome> tests)
        {
            NatType = natType;
            MappingBehavior = mapping;
            FilteringBehavior = filtering;
            Hairpinning = hairpinning;
            IsDirect = isDirect;
            LocalEndpoint = localEndpoint;
            PublicEndpoint = publicEndpoint;
            Server = server;
            ServerEndpoint = serverEndpoint;
            OtherAddress = otherAddress;
            Reason = reason;
            Tests = tests;
        }

        public NatType NatType { get; }

        public MappingBehavior MappingBehavior { get; }

        public FilteringBehavior FilteringBehavior { get; }

        /// <summary>Null when not tested (no NAT, no mapping, or skipped).</summary>
        public bool? Hairpinning { get; }

        /// <summary>True when the server saw our local address and port: no NAT in between. Null when UDP is blocked.</summary>
        public bool? IsDirect { get; }

        public IPEndPoint LocalEndpoint { get; }

        public IPEndPoint? PublicEndpoint { get; }

        /// <summary>The server as named (host:port); all of them, comma-separated, when none answered.</summary>
        public string Server { get; }

        public IPEndPoint? ServerEndpoint { get; }

        /// <summary>The server's OTHER-ADDRESS (or RFC 3489 CHANGED-ADDRESS); null when it supports no behaviour tests.</summary>
        public IPEndPoint? OtherAddress { get; }

        /// <summary>Why a behaviour is Unknown or NotTested, in words; null when everything was decided.</summary>
        public string? Reason { get; }

        public IReadOnlyList<NatTestOutcome> Tests { get; }
    }
}
