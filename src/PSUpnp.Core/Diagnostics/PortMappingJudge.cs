using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PSUpnp.Net;

namespace PSUpnp.Diagnostics
{
    /// <summary>
    /// Turns <see cref="PortMappingFindings"/> into Test-UpnpPortMapping's checks and verdict, without I/O (tested from
    /// tables). The checks run in the order a fix is needed: a router beyond which another NAT lies makes every mapping on
    /// it useless, so the gateway and its address come first, then the mapping, then this host; the verdict is the fix of
    /// the first failure.
    /// </summary>
    internal static class PortMappingJudge
    {
        public const string Gateway = "Gateway";
        public const string ExternalAddress = "ExternalAddress";
        public const string AddressOwner = "AddressOwner";
        public const string Stun = "Stun";
        public const string MappingExists = "MappingExists";
        public const string MappingEnabled = "MappingEnabled";
        public const string InternalClient = "InternalClient";
        public const string InternalPort = "InternalPort";
        public const string Lease = "Lease";
        public const string Listener = "Listener";
        public const string Hairpinning = "Hairpinning";

        public static (IReadOnlyList<PortMappingCheck> Checks, string Verdict) Judge(PortMappingFindings f)
        {
            var checks = new List<(PortMappingCheck Check, string? Fix)>
            {
                CheckGateway(f),
                CheckExternalAddress(f),
                CheckAddressOwner(f),
                CheckStun(f),
                CheckMappingExists(f),
                CheckEnabled(f),
                CheckInternalClient(f),
                CheckInternalPort(f),
                CheckLease(f),
                CheckListener(f),
                CheckHairpin(f),
            };
            var failed = checks.FirstOrDefault(c => c.Check.Result == PortMappingCheckResult.Failed);
            return (checks.Select(c => c.Check).ToList(), failed.Check != null ? failed.Fix! : AllPassed(f, checks.Select(c => c.Check)));
        }

        private static string What(PortMappingFindings f) => f.Protocol + " " + f.ExternalPort.ToString(CultureInfo.InvariantCulture);

        private static (PortMappingCheck, string?) Pass(string name, string detail) => (new PortMappingCheck(name, PortMappingCheckResult.Passed, detail), null);

        /// <summary>A failure: <c>verdict</c> is the fix, self-contained, since it becomes the verdict when this is the first failure.</summary>
        private static (PortMappingCheck, string?) Fail(string name, string detail, string verdict) => (new PortMappingCheck(name, PortMappingCheckResult.Failed, detail), verdict);

        private static (PortMappingCheck, string?) Unsure(string name, string detail) => (new PortMappingCheck(name, PortMappingCheckResult.Inconclusive, detail), null);

        private static (PortMappingCheck, string?) Info(string name, string detail) => (new PortMappingCheck(name, PortMappingCheckResult.Information, detail), null);

        private static (PortMappingCheck, string?) CheckGateway(PortMappingFindings f) => f.GatewayGone
            ? Fail(Gateway, f.Gateway!.Label + " does not answer any more: " + f.GatewayError,
                "The gateway does not answer: turn UPnP (IGD), PCP or NAT-PMP on in the router, check that this host is still on its network, or name the right one with -Gateway.")
            : f.Gateway != null
            ? Pass(Gateway, f.Gateway.Label + " answers (" + (f.Gateway.ServiceName != null ? f.Gateway.ServiceName + " v" + f.Gateway.ServiceVersion.ToString(CultureInfo.InvariantCulture) : string.Join(", ", f.Gateway.Methods)) + ").")
            : Fail(Gateway, "No gateway answered UPnP, PCP or NAT-PMP: " + f.GatewayError, "No gateway answered UPnP, PCP or NAT-PMP: turn UPnP (IGD), PCP or NAT-PMP on in the router, or name its description URL with -Gateway.");

        private static (PortMappingCheck, string?) CheckExternalAddress(PortMappingFindings f)
        {
            if (f.Gateway == null || f.GatewayGone)
            {
                return Unsure(ExternalAddress, "No gateway to ask.");
            }

            var address = f.External?.ExternalAddress;
            if (f.External == null)
            {
                return Unsure(ExternalAddress, "The gateway did not tell its external address: " + f.ExternalError);
            }

            if (address == null)
            {
                return Fail(ExternalAddress, "The router reports no external address (connection " + Status(f.External) + ").",
                    "The router has no external address: connect it to the internet, or if it is behind carrier-grade NAT ask the provider for a public address.");
            }

            if (AddressScope.IsSharedAddressSpace(address))
            {
                return Fail(ExternalAddress, "The router's external address " + address + " is in 100.64.0.0/10: the provider's carrier-grade NAT lies beyond it.",
                    "The router is behind the provider's carrier-grade NAT: ask the provider for a public IPv4 address; no mapping on this router can be reached from the internet.");
            }

            if (!AddressScope.IsPublic(address))
            {
                return Fail(ExternalAddress, "The router's external address " + address + " is private: another router (the provider's box) lies beyond it.",
                    "The router is behind another router: put the provider's box in bridge mode, or map the port on the provider's box too (to this router's address).");
            }

            return Pass(ExternalAddress, "The router's external address " + address + " is public.");
        }

        private static (PortMappingCheck, string?) CheckAddressOwner(PortMappingFindings f)
        {
            var external = f.External;
            if (external?.ExternalAddress == null || !AddressScope.IsPublic(external.ExternalAddress))
            {
                return Unsure(AddressOwner, "No public external address to look for.");
            }

            switch (external.IsHeldByGateway)
            {
                case true:
                    return Pass(AddressOwner, "The router holds " + external.ExternalAddress + " itself: " + external.HolderEvidence + ".");
                case false:
                    return Fail(AddressOwner, "The router reports " + external.ExternalAddress + " but does not hold it: " + external.HolderEvidence + ".",
                        "Another NAT lies beyond the router, so the mapping is not reachable from the internet: put the provider's box in bridge mode, ask the provider for a public address, or map the port on the outer NAT too.");
                default:
                    return Unsure(AddressOwner, "Could not tell whether the router holds its external address: " + (external.HolderEvidence.Length == 0 ? "not checked" : external.HolderEvidence) + ".");
            }
        }

        private static (PortMappingCheck, string?) CheckStun(PortMappingFindings f)
        {
            if (f.StunAddress == null)
            {
                return Unsure(Stun, "No STUN server answered" + (f.StunError == null ? "." : ": " + f.StunError));
            }

            var external = f.External?.ExternalAddress;
            if (external == null)
            {
                return Info(Stun, "The STUN server " + f.StunServer + " sees this host as " + f.StunAddress + "; the router has no address to compare.");
            }

            if (MappedAddress.Unmap(external).Equals(MappedAddress.Unmap(f.StunAddress)))
            {
                return Pass(Stun, "The STUN server " + f.StunServer + " sees " + f.StunAddress + ", the router's external address.");
            }

            return Fail(Stun, "The STUN server " + f.StunServer + " sees " + f.StunAddress + ", not the router's external address " + external + ": another NAT lies beyond the router.",
                "Another NAT lies beyond the router (STUN sees " + f.StunAddress + ", the router reports " + external + "): put the provider's box in bridge mode, ask the provider for a public address, or map the port on the outer NAT too.");
        }

        private static (PortMappingCheck, string?) CheckMappingExists(PortMappingFindings f)
        {
            if (f.Gateway == null || f.GatewayGone)
            {
                return Unsure(MappingExists, "No gateway to ask.");
            }

            if (f.MappingUnknowable != null)
            {
                return Unsure(MappingExists, f.MappingUnknowable);
            }

            if (f.MappingError != null)
            {
                return Unsure(MappingExists, "The gateway did not answer the lookup: " + f.MappingError);
            }

            return f.Mapping != null
                ? Pass(MappingExists, "The router holds " + f.Mapping + " (" + f.Mapping.Description + ").")
                : Fail(MappingExists, "The router has no " + What(f) + " mapping (never added, expired, removed, or forgotten when the router restarted).",
                    "The router has no " + What(f) + " mapping: add it with Add-UpnpPortMapping " + f.ExternalPort.ToString(CultureInfo.InvariantCulture) + " -Protocol " + f.Protocol + " and renew it before its lease runs out; if the router refuses it (UpnpError606), allow UPnP mappings for this host in the router's settings.");
        }

        private static (PortMappingCheck, string?) CheckEnabled(PortMappingFindings f)
        {
            if (f.Mapping == null)
            {
                return Unsure(MappingEnabled, "No mapping to look at.");
            }

            return f.Mapping.Enabled
                ? Pass(MappingEnabled, "The mapping is enabled.")
                : Fail(MappingEnabled, "The mapping is disabled.", "The mapping is disabled: Add-UpnpPortMapping " + f.ExternalPort.ToString(CultureInfo.InvariantCulture) + " -Protocol " + f.Protocol + " renews it enabled.");
        }

        private static (PortMappingCheck, string?) CheckInternalClient(PortMappingFindings f)
        {
            if (f.Mapping == null || f.ThisHost == null)
            {
                return Unsure(InternalClient, "No mapping to look at.");
            }

            return MappedAddress.Unmap(f.Mapping.InternalClient).Equals(MappedAddress.Unmap(f.ThisHost))
                ? Pass(InternalClient, "The mapping leads to this host (" + f.ThisHost + ").")
                : Fail(InternalClient, "The mapping leads to " + f.Mapping.InternalClient + ", not to this host (" + f.ThisHost + ").",
                    "The mapping leads to " + f.Mapping.InternalClient + ", not to this host: run this test there, or take the mapping over with Add-UpnpPortMapping " + f.ExternalPort.ToString(CultureInfo.InvariantCulture) + " -Protocol " + f.Protocol + " -Force.");
        }

        private static (PortMappingCheck, string?) CheckInternalPort(PortMappingFindings f)
        {
            if (f.Mapping == null)
            {
                return Unsure(InternalPort, "No mapping to look at.");
            }

            var port = f.Mapping.InternalPort.ToString(CultureInfo.InvariantCulture);
            if (f.InternalPort == null)
            {
                return Info(InternalPort, "The mapping leads to port " + port + " (give -InternalPort to check it).");
            }

            var intended = f.InternalPort.Value.ToString(CultureInfo.InvariantCulture);
            return f.Mapping.InternalPort == f.InternalPort
                ? Pass(InternalPort, "The mapping leads to port " + port + ", as intended.")
                : Fail(InternalPort, "The mapping leads to port " + port + ", not to port " + intended + ".",
                    "The mapping leads to port " + port + ", not " + intended + ": map it again with Add-UpnpPortMapping " + f.ExternalPort.ToString(CultureInfo.InvariantCulture) + " " + intended + " -Protocol " + f.Protocol + ".");
        }

        private static (PortMappingCheck, string?) CheckLease(PortMappingFindings f)
        {
            if (f.Mapping == null)
            {
                return Unsure(Lease, "No mapping to look at.");
            }

            if (f.Mapping.IsPermanent)
            {
                return Pass(Lease, "The mapping is permanent.");
            }

            var left = (f.Mapping.ExpiresAt ?? f.Now) - f.Now;
            return left > TimeSpan.Zero
                ? Pass(Lease, "The lease has " + left.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture) + " left; renew it before then.")
                : Fail(Lease, "The lease has run out.", "The lease has run out: renew it with Add-UpnpPortMapping " + f.ExternalPort.ToString(CultureInfo.InvariantCulture) + " -Protocol " + f.Protocol + " -Renew.");
        }

        private static (PortMappingCheck, string?) CheckListener(PortMappingFindings f)
        {
            var port = f.EffectiveInternalPort.ToString(CultureInfo.InvariantCulture);
            switch (f.Listener)
            {
                case ListenerState.Listening:
                    return Pass(Listener, "A service on this host accepts TCP connections on " + f.ThisHost + ":" + port + ".");
                case ListenerState.NotListening:
                    return Fail(Listener, "Nothing on this host accepts TCP connections on " + f.ThisHost + ":" + port + ".",
                        "Nothing listens on TCP port " + port + " on this host: start the service (on " + f.ThisHost + " or on all addresses), or allow it through this host's firewall.");
                case ListenerState.UdpBound:
                    return Unsure(Listener, "A UDP socket is bound to port " + port + " on this host; whether the service answers cannot be told for UDP.");
                case ListenerState.UdpNotBound:
                    return Unsure(Listener, "No UDP socket that this host shows is bound to port " + port + "; whether a service answers cannot be told for UDP.");
                default:
                    return Unsure(Listener, "Not checked: no gateway told this host's address toward it.");
            }
        }

        private static (PortMappingCheck, string?) CheckHairpin(PortMappingFindings f) => f.Hairpin == null
            ? Info(Hairpinning, f.HairpinDetail ?? "Not tried.")
            : Info(Hairpinning, f.HairpinDetail + " This is a connection from inside: it proves nothing about connections from the internet.");

        private static string Status(UpnpExternalAddress external) => external.ConnectionStatus.Length == 0 ? "status unknown" : external.ConnectionStatus;

        private static string AllPassed(PortMappingFindings f, IEnumerable<PortMappingCheck> checks)
        {
            var unsure = checks.Where(c => c.Result == PortMappingCheckResult.Inconclusive).Select(c => c.Name).ToList();
            if (f.MappingUnknowable != null)
            {
                // Without a lookup "the router forwards" would be a guess: say what was found and how to be sure.
                return "No fault found in what could be checked (could not tell: " + string.Join(", ", unsure) + "). " + f.MappingUnknowable
                    + " Only a connection from outside proves it.";
            }

            return "No fault found: the router forwards " + What(f) + " from " + f.External?.ExternalAddress + " to this host's port "
                + f.EffectiveInternalPort.ToString(CultureInfo.InvariantCulture)
                + (unsure.Count > 0 ? " (could not tell: " + string.Join(", ", unsure) + ")" : string.Empty)
                + "; only a connection from outside proves it.";
        }
    }
}
