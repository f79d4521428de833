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
            _ => "The router reported an error code that this module does not know.",
        };

        public static string? RecommendedAction(int code) => code switch
        {
            InvalidArgs => "Check the argument values; older routers may not support this action with these arguments.",
            ActionNotAuthorized => "Ask the router's administrator to allow UPnP mappings for this host and port, or choose another port.",
            NoSuchEntryInArray => "List the router's mappings with Get-UpnpPortMapping to see what exists.",
            ConflictInMappingEntry => "Choose another external port, remove the other client's mapping, or use -Force to take it over.",
            SamePortValuesRequired => "Use the same value for -InternalPort and -ExternalPort.",
            OnlyPermanentLeasesSupported => "Use -LeaseDuration 0 and remove the mapping yourself when it is no longer needed.",
            RemoteHostOnlySupportsWildcard => "Omit -RemoteHost to open the port to every remote host, if that is acceptable.",
            ExternalPortOnlySupportsWildcard => "Let the router choose the external port.",
            NoPortMapsAvailable => "Remove unused mappings (Get-UpnpPortMapping | Remove-UpnpPortMapping) or choose another port.",
            ConflictWithOtherMechanisms => "Remove the conflicting rule on the router, or choose another external port.",
            ActionFailed => "Try again; if it keeps failing, restart the router or check that UPnP is enabled.",
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
            NoPortMapsAvailable => UpnpErrorCategory.LimitsExceeded,
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
