using System;
using System.Globalization;

namespace PSUpnp
{
    /// <summary>What the UPnP error codes of the IGD control services mean, in words an admin can act on.</summary>
    internal static class UpnpFaultCodes
    {
        public const int InvalidAction = 401;
        public const int InvalidArgs = 402;
        public const int ActionFailed = 501;
        public const int ArgumentValueInvalid = 600;
        public const int ArgumentValueOutOfRange = 601;
        public const int OptionalActionNotImplemented = 602;
        public const int ActionNotAuthorized = 606;
        public const int SpecifiedArrayIndexInvalid = 713;
        public const int NoSuchEntryInArray = 714;
        public const int WildCardNotPermittedInSrcIP = 715;
        public const int WildCardNotPermittedInExtPort = 716;
        public const int ConflictInMappingEntry = 718;
        public const int SamePortValuesRequired = 724;
        public const int OnlyPermanentLeasesSupported = 725;
        public const int RemoteHostOnlySupportsWildcard = 726;
        public const int ExternalPortOnlySupportsWildcard = 727;
        public const int NoPortMapsAvailable = 728;
        public const int ConflictWithOtherMechanisms = 729;
        public const int PortMappingNotFound = 730;
        public const int WildCardNotPermittedInIntPort = 732;
        public const int InconsistentParameters = 733;

        // WANIPv6FirewallControl:1 (IPv6 pinholes). 606 there also means the pinhole's internal client is not the
        // host that asked (or its port is below 1024): miniupnpd compares the sender's IPv6 address whatever secure_mode says.
        public const int PinholeSpaceExhausted = 701;
        public const int FirewallDisabled = 702;
        public const int InboundPinholeNotAllowed = 703;
        public const int NoSuchEntry = 704;
        public const int ProtocolNotSupported = 705;
        public const int InternalPortWildcardingNotAllowed = 706;
        public const int ProtocolWildcardingNotAllowed = 707;
        public const int InvalidLayer4Protocol = 708;
        public const int NoPacketSent = 709;

        public static string Explain(int code) => code switch
        {
            InvalidAction => "The router does not know this action.",
            InvalidArgs => "The router rejected the arguments of the request (wrong number, name or type).",
            ActionFailed => "The router could not carry out the action.",
            ArgumentValueInvalid => "An argument value is not valid for the router.",
            ArgumentValueOutOfRange => "An argument value is out of the range the router accepts.",
            OptionalActionNotImplemented => "The router does not implement this optional action.",
            ActionNotAuthorized => "The router's policy does not allow this action for this host or port.",
            SpecifiedArrayIndexInvalid => "There is no port mapping at this index: the end of the table was reached.",
            NoSuchEntryInArray => "The router holds no such port mapping.",
            WildCardNotPermittedInSrcIP => "The router does not accept a wildcard remote host here.",
            WildCardNotPermittedInExtPort => "The router does not accept a wildcard external port here.",
            ConflictInMappingEntry => "The port mapping is already held by another internal client.",
            SamePortValuesRequired => "The router requires the internal and external ports to be the same.",
            OnlyPermanentLeasesSupported => "The router only supports permanent leases (lease duration 0).",
            RemoteHostOnlySupportsWildcard => "The router can only open the port to every remote host, not to one.",
            ExternalPortOnlySupportsWildcard => "The router only accepts a wildcard external port.",
            NoPortMapsAvailable => "The router's port mapping table is full, or no port is free.",
            ConflictWithOtherMechanisms => "The mapping conflicts with one made by another mechanism on the router (NAT-PMP, PCP, static rules).",
            PortMappingNotFound => "The router holds no port mapping in the requested range.",
            WildCardNotPermittedInIntPort => "The router does not accept a wildcard internal port.",
            InconsistentParameters => "The arguments contradict each other (for example a port range whose start is after its end).",
            PinholeSpaceExhausted => "The router's IPv6 firewall has no room for another pinhole.",
            FirewallDisabled => "The router's IPv6 firewall is off: inbound IPv6 is not filtered there, so no pinhole is needed or possible.",
            InboundPinholeNotAllowed => "The router's IPv6 firewall is on but does not let clients open inbound pinholes.",
            NoSuchEntry => "The router holds no IPv6 pinhole with that id (it expired, was deleted, or the router restarted).",
            ProtocolNotSupported => "The router cannot open a pinhole for this protocol.",
            InternalPortWildcardingNotAllowed => "The router does not accept a pinhole for every internal port (internal port 0).",
            ProtocolWildcardingNotAllowed => "The router does not accept a pinhole for every protocol.",
            InvalidLayer4Protocol => "The router rejected the pinhole's protocol or internal client (miniupnpd also sends 708 for an empty internal client).",
            NoPacketSent => "No packet has passed through the pinhole yet, so the router cannot tell whether it works.",
            _ => "The router reported an error code that this module does not know.",
        };

        public static string? RecommendedAction(int code) => code switch
        {
            InvalidArgs => "Check the argument values; older routers may not support this action with these arguments.",
            ActionNotAuthorized => "Ask the router's administrator to allow UPnP mappings for this host and port, or choose another port. "
                + "An IPv6 pinhole may open only the asking host's own address, on a port from 1024: leave -InternalClient out, or run the command on that host.",
            NoSuchEntryInArray => "List the router's mappings with Get-UpnpPortMapping to see what exists.",
            ConflictInMappingEntry => "Choose another external port, remove the other client's mapping, or use -Force to take it over.",
            SamePortValuesRequired => "Use the same value for -InternalPort and -ExternalPort.",
            OnlyPermanentLeasesSupported => "Use -LeaseDuration 0 and remove the mapping yourself when it is no longer needed.",
            RemoteHostOnlySupportsWildcard => "Omit -RemoteHost to open the port to every remote host, if that is acceptable.",
            ExternalPortOnlySupportsWildcard => "Let the router choose the external port.",
            NoPortMapsAvailable => "Remove unused mappings (Get-UpnpPortMapping | Remove-UpnpPortMapping) or choose another port.",
            ConflictWithOtherMechanisms => "Remove the conflicting rule on the router, or choose another external port.",
            ActionFailed => "Try again; if it keeps failing, restart the router or check that UPnP is enabled.",
            PinholeSpaceExhausted => "Remove pinholes no longer needed (Remove-UpnpPortMapping -PinholeId) or wait for some to expire.",
            FirewallDisabled => "Nothing to open: the port is reachable over IPv6 unless this host's own firewall blocks it; turn the router's IPv6 firewall on for safety.",
            InboundPinholeNotAllowed => "Allow UPnP IPv6 pinholes in the router's firewall settings (often 'Allow inbound IPv6 pinholes' or 'IPv6 UPnP'), or use an IPv4 mapping.",
            NoSuchEntry => "Open the pinhole again with Add-UpnpPortMapping (with -Renew it is re-created).",
            ProtocolNotSupported or ProtocolWildcardingNotAllowed or InvalidLayer4Protocol => "Use -Protocol TCP or UDP and give this host's own IPv6 address as -InternalClient.",
            InternalPortWildcardingNotAllowed => "Give the port to open (1-65535).",
            NoPacketSent => "Let a peer connect to the port first; the pinhole is still open.",
            _ => null,
        };

        public static UpnpErrorCategory CategoryOf(int code) => code switch
        {
            InvalidAction or OptionalActionNotImplemented => UpnpErrorCategory.NotImplemented,
            InvalidArgs or ArgumentValueInvalid or ArgumentValueOutOfRange or WildCardNotPermittedInSrcIP
                or WildCardNotPermittedInExtPort or SamePortValuesRequired or OnlyPermanentLeasesSupported
                or RemoteHostOnlySupportsWildcard or ExternalPortOnlySupportsWildcard or WildCardNotPermittedInIntPort
                or InconsistentParameters => UpnpErrorCategory.InvalidArgument,
            ActionNotAuthorized => UpnpErrorCategory.PermissionDenied,
            SpecifiedArrayIndexInvalid or NoSuchEntryInArray or PortMappingNotFound => UpnpErrorCategory.ObjectNotFound,
            ConflictInMappingEntry or ConflictWithOtherMechanisms => UpnpErrorCategory.ResourceExists,
            NoPortMapsAvailable or PinholeSpaceExhausted => UpnpErrorCategory.LimitsExceeded,
            FirewallDisabled => UpnpErrorCategory.InvalidResult,
            InboundPinholeNotAllowed => UpnpErrorCategory.PermissionDenied,
            NoSuchEntry => UpnpErrorCategory.ObjectNotFound,
            ProtocolNotSupported or ProtocolWildcardingNotAllowed or InvalidLayer4Protocol or InternalPortWildcardingNotAllowed => UpnpErrorCategory.InvalidArgument,
            NoPacketSent => UpnpErrorCategory.InvalidResult,
            _ => UpnpErrorCategory.ProtocolError,
        };

        internal static string Message(int code, string? deviceDescription, string action, Uri controlUrl)
        {
            var device = string.IsNullOrWhiteSpace(deviceDescription) ? string.Empty : $" ({deviceDescription!.Trim()})";
            return string.Format(
                CultureInfo.InvariantCulture,
                "{0} failed with UPnP error {1}{2}: {3} Control URL: {4}",
                action,
                code,
                device,
                Explain(code),
                controlUrl);
        }
    }
}
