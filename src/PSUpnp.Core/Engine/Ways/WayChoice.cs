namespace PSUpnp.Engine.Ways
{
    /// <summary>Which way a call uses: the one the caller named, else the first the gateway answered of UPnP IGD, PCP, NAT-PMP.</summary>
    internal static class WayChoice
    {
        /// <exception cref="UpnpException">UpnpMethodUnavailable: the named way cannot reach this gateway.</exception>
        public static PortMappingMethod Choose(UpnpGateway gateway, PortMappingMethod? asked)
        {
            if (asked is PortMappingMethod method)
            {
                // PCP and NAT-PMP need only the router's address, so they may be tried on a router that did not
                // answer them during discovery (its answer may have been lost); UPnP IGD needs the control URL.
                if (method == PortMappingMethod.UpnpIgd ? gateway.ControlUrl == null : gateway.Address == null)
                {
                    throw new UpnpException(
                        UpnpErrors.MethodUnavailable,
                        "The gateway " + gateway.Label + " cannot be asked by " + method + ": "
                        + (method == PortMappingMethod.UpnpIgd ? "it did not answer UPnP IGD, so it has no control URL" : "its address is not known (its control URL names a host)")
                        + "; it answered " + string.Join(", ", gateway.Methods) + ".",
                        gateway.Host);
                }

                return method;
            }

            // Methods is in order of preference: IGD reads back what it made, lists the table and is what earlier
            // versions used; PCP grants what NAT-PMP does and more (remote host, nonce, IPv6).
            return gateway.Methods[0];
        }

        /// <summary>The table can be listed by UPnP IGD only: anything else is UpnpMappingListNotSupported, never an empty list.</summary>
        public static void RequireListing(UpnpGateway gateway, PortMappingMethod? asked)
        {
            var method = Choose(gateway, asked);
            if (method != PortMappingMethod.UpnpIgd)
            {
                throw new UpnpException(
                    UpnpErrors.MappingListNotSupported,
                    "The gateway " + gateway.Label + " is asked by " + method + ", which cannot list a router's port mappings "
                    + "(PCP and NAT-PMP can only add, renew and remove mappings they name); only UPnP IGD can.",
                    gateway.Host);
            }
        }
    }
}
