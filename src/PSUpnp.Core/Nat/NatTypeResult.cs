using System;
using System.Net;
using PSUpnp.Nat;
using PSUpnp.Net;

namespace PSUpnp
{
    /// <summary>
    /// What Test-NatType returns: the NAT between this host and the internet as STUN sees it, beside what the UPnP
    /// gateway says about its external address, and a one-line verdict for the admin.
    /// </summary>
    public sealed class NatTypeResult
    {
        private NatTypeResult(NatDiscoveryResult stun, IPAddress? gatewayExternalAddress, bool? isDoubleNat, string doubleNat, string verdict)
        {
            Stun = stun;
            GatewayExternalAddress = gatewayExternalAddress;
            IsDoubleNat = isDoubleNat;
            DoubleNat = doubleNat;
            Verdict = verdict;
        }

        public NatType NatType => Stun.NatType;

        public MappingBehavior MappingBehavior => Stun.MappingBehavior;

        public FilteringBehavior FilteringBehavior => Stun.FilteringBehavior;

        public bool? Hairpinning => Stun.Hairpinning;

        public bool? IsDirect => Stun.IsDirect;

        public IPEndPoint LocalEndpoint => Stun.LocalEndpoint;

        public IPEndPoint? PublicEndpoint => Stun.PublicEndpoint;

        public string Server => Stun.Server;

        public IPEndPoint? ServerEndpoint => Stun.ServerEndpoint;

        /// <summary>Why something is Unknown or NotTested; null when the tests decided everything.</summary>
        public string? Reason => Stun.Reason;

        /// <summary>The external address the UPnP gateway reports; null when no gateway answered or it has none.</summary>
        public IPAddress? GatewayExternalAddress { get; }

        /// <summary>True when another NAT lies beyond the UPnP gateway; null when it could not be checked.</summary>
        public bool? IsDoubleNat { get; }

        /// <summary>The double-NAT finding in words.</summary>
        public string DoubleNat { get; }

        /// <summary>One line: will direct peer-to-peer work, and will UPnP port mapping help.</summary>
        public string Verdict { get; }

        /// <summary>The STUN findings with every test's outcome.</summary>
        public NatDiscoveryResult Stun { get; }

        /// <summary>
        /// Joins the STUN result with the gateway's view: when the gateway's external address is private or shared
        /// (100.64.0.0/10), or differs from the public address STUN saw through a NAT, another NAT lies beyond the
        /// gateway and UPnP port mapping on it cannot make this host reachable.
        /// </summary>
        internal static NatTypeResult Create(NatDiscoveryResult stun, UpnpExternalAddress? gateway)
        {
            if (stun == null)
            {
                throw new ArgumentNullException(nameof(stun));
            }

            var external = gateway?.ExternalAddress;
            var stunPublic = stun.PublicEndpoint?.Address;
            bool? doubleNat;
            string statement;
            if (gateway == null)
            {
                doubleNat = null;
                statement = "No UPnP gateway answered, so double NAT could not be checked.";
            }
            else if (external == null)
            {
                doubleNat = null;
                statement = "The UPnP gateway reports no external address (" + gateway.ConnectionStatus + "), so double NAT could not be checked.";
            }
            else if (AddressScope.IsSharedAddressSpace(external))
            {
                doubleNat = true;
                statement = "Double NAT: the gateway's external address " + external + " is in 100.64.0.0/10, the carrier-grade NAT range, so the provider's NAT lies beyond it.";
            }
            else if (!AddressScope.IsPublic(external))
            {
                doubleNat = true;
                statement = "Double NAT: the gateway's external address " + external + " is private, so another NAT lies beyond it.";
            }
            else if (gateway.IsHeldByGateway == false)
            {
                doubleNat = true;
                statement = "Double NAT: the gateway reports the external address " + external + " but does not hold it (" + gateway.HolderEvidence
                    + "), so another NAT beyond it, carrier-grade NAT or the provider's router, holds the address and receives what the internet sends to it.";
            }
            else if (stunPublic != null && !Same(stunPublic, external) && stun.IsDirect == true)
            {
                // The host reached the server from an address of its own: the gateway's NAT is on another route.
                doubleNat = false;
                statement = "No double NAT: the STUN server saw this host's own address " + stunPublic + ", so the gateway (external address " + external + ") is not on the path to the internet.";
            }
            else if (stunPublic != null && !Same(stunPublic, external))
            {
                doubleNat = true;
                statement = "Double NAT: the gateway's external address " + external + " differs from the public address " + stunPublic + " the STUN server saw.";
            }
            else if (stunPublic != null)
            {
                doubleNat = false;
                statement = "No double NAT: the gateway's external address " + external + " is the public address the STUN server saw.";
            }
            else
            {
                doubleNat = null;
                statement = "The gateway's external address is " + external + "; STUN saw no public address to compare it with.";
            }

            return new NatTypeResult(stun, external, doubleNat, statement, Judge(stun, gateway != null && external != null, doubleNat));
        }

        public override string ToString() => NatType + ": " + Verdict;

        private static bool Same(IPAddress a, IPAddress b) => MappedAddress.Unmap(a).Equals(MappedAddress.Unmap(b));

        private static string Judge(NatDiscoveryResult stun, bool gatewayUsable, bool? doubleNat)
        {
            string upnp;
            if (!gatewayUsable)
            {
                upnp = "no UPnP gateway answered, so UPnP port mapping cannot help";
            }
            else if (doubleNat == true)
            {
                upnp = "UPnP port mapping on this gateway will not help, because another NAT lies beyond it";
            }
            else
            {
                upnp = "UPnP port mapping on the gateway will help to accept inbound connections";
            }

            switch (stun.NatType)
            {
                case NatType.OpenInternet:
                    return "Direct peer-to-peer works: this host is on the internet without NAT or UDP filtering; UPnP port mapping is not needed.";
                case NatType.FullCone:
                    return "Direct peer-to-peer works: anyone can reach this host's public mapping once it is open; " + upnp + ".";
                case NatType.RestrictedCone:
                case NatType.PortRestrictedCone:
                    return "Direct peer-to-peer is likely to work with hole punching (ICE/STUN), except with peers behind a symmetric NAT; " + upnp + ".";
                case NatType.Symmetric:
                    return "Direct peer-to-peer is unlikely: the NAT picks a new port per destination, so peers usually need a relay (TURN); " + upnp + ".";
                case NatType.SymmetricUdpFirewall:
                    return "Peer-to-peer works only when this host speaks first: a firewall drops unsolicited UDP to its public address; UPnP port mapping will not help (there is no NAT to map), open the firewall instead.";
                case NatType.UdpBlocked:
                    return "Direct peer-to-peer over UDP will not work: outbound UDP is blocked; UPnP port mapping will not help, only a relay over TCP/TLS or opening the firewall will.";
                default:
                    return "Could not decide whether direct peer-to-peer will work: " + (stun.Reason ?? "the tests were inconclusive.") + " " + char.ToUpperInvariant(upnp[0]) + upnp.Substring(1) + ".";
            }
        }
    }
}
