namespace PSUpnp.Igd
{
    /// <summary>
    /// What a router's refusal means to the engine. Routers say the same thing with different codes; these
    /// classifications are where that variety is read one way.
    /// </summary>
    internal static class IgdFaults
    {
        /// <summary>
        /// GetGenericPortMappingEntry past the end. 713 SpecifiedArrayIndexInvalid is the standard, but 714, 402, 501 and
        /// 601 are all seen in the field.
        /// </summary>
        public static bool IsEndOfTable(int code) =>
            code == UpnpFaultCodes.SpecifiedArrayIndexInvalid
            || code == UpnpFaultCodes.NoSuchEntryInArray
            || code == UpnpFaultCodes.InvalidArgs
            || code == UpnpFaultCodes.ActionFailed
            || code == UpnpFaultCodes.ArgumentValueOutOfRange;

        /// <summary>GetListOfPortMappings with nothing left: 730 PortMappingNotFound is v2's answer; 713/714 are used for the same by some devices.</summary>
        public static bool IsEndOfList(int code) =>
            code == UpnpFaultCodes.PortMappingNotFound || code == UpnpFaultCodes.SpecifiedArrayIndexInvalid || code == UpnpFaultCodes.NoSuchEntryInArray;

        /// <summary>The device answered, but not usefully: worth trying another way. Timeouts and refused connections are not.</summary>
        public static bool IsDeviceRefusal(UpnpException ex) =>
            ex is UpnpFaultException
            || ex is UpnpMalformedResponseException
            || ex is UpnpHttpStatusException
            || ReferenceEquals(ex.Entry, UpnpErrors.SoapFault);

        /// <summary>
        /// A router that keeps only permanent mappings answers a lease with 725 OnlyPermanentLeasesSupported; some IGD v1
        /// routers say 402 InvalidArgs instead (tailscale#15223). Both get the same permanent mapping and warning. On v2,
        /// where a permanent lease is not allowed, 402 keeps its own meaning.
        /// </summary>
        public static bool RefusesLeases(int code, int serviceVersion) =>
            code == UpnpFaultCodes.OnlyPermanentLeasesSupported
            || (code == UpnpFaultCodes.InvalidArgs && serviceVersion < 2);

        /// <summary>718 ConflictInMappingEntry: the port is held, by another client or (on some routers) by the same one.</summary>
        public static bool IsConflict(UpnpFaultException ex) => ex.ErrorCode == UpnpFaultCodes.ConflictInMappingEntry;

        /// <summary>714 NoSuchEntryInArray: the router holds no such mapping.</summary>
        public static bool IsNoSuchEntry(UpnpFaultException ex) => ex.ErrorCode == UpnpFaultCodes.NoSuchEntryInArray;
    }
}
