namespace PSUpnp.Description
{
    internal static class DescriptionErrors
    {
        public const string MalformedId = "DescriptionMalformed";
        public const string DtdProhibitedId = "DescriptionDtdProhibited";
        public const string NoConnectionServiceId = "DescriptionHasNoConnectionService";

        private const string UseLocation = "If this is your gateway, check its firmware, or give another description URL with -Location.";

        public static UpnpException Malformed(string why, object? target = null, System.Exception? inner = null) => new UpnpException(
            MalformedId,
            UpnpErrorCategory.InvalidData,
            "The device description is not valid: " + why,
            UseLocation,
            target,
            inner);

        public static UpnpException DtdProhibited(object? target = null) => new UpnpException(
            DtdProhibitedId,
            UpnpErrorCategory.SecurityError,
            "The device description contains a DTD (<!DOCTYPE>). DTDs are refused because they can fetch external " +
            "entities or expand entities without bound; a real gateway's description never needs one.",
            "Treat the device as hostile or broken; give the description URL of the real gateway with -Location.",
            target);

        public static UpnpException NoConnectionService(string friendlyName, object? target = null) => new UpnpException(
            NoConnectionServiceId,
            UpnpErrorCategory.ObjectNotFound,
            "The device '" + friendlyName + "' describes no usable WAN connection service (WANIPConnection or " +
            "WANPPPConnection), so it cannot map ports.",
            "Check that UPnP port mapping (IGD) is enabled on the router; the device that answered may not be the router.",
            target);
    }
}
