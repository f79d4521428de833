namespace PSUpnp.Description
{
    internal static class DescriptionErrors
    {
        public static UpnpException Malformed(string why, object? target = null, System.Exception? inner = null) =>
            new UpnpException(UpnpErrors.MalformedDescription, "The device description is not valid: " + why, target, inner);

        public static UpnpException DtdProhibited(object? target = null) => new UpnpException(
            UpnpErrors.DescriptionDtdProhibited,
            "The device description contains a DTD (<!DOCTYPE>). DTDs are refused because they can fetch external " +
            "entities or expand entities without bound; a real gateway's description never needs one.",
            target);

        public static UpnpException NoConnectionService(string friendlyName, object? target = null) => new UpnpException(
            UpnpErrors.NoConnectionService,
            "The device '" + friendlyName + "' describes no usable WAN connection service (WANIPConnection or " +
            "WANPPPConnection), so it cannot map ports.",
            target);
    }
}
