using System.Collections.Generic;
using System.Net.Sockets;

namespace PSUpnp.Igd
{
    /// <summary>
    /// Which families one Add-UpnpPortMapping request asks for, checked before either is asked for so that nothing is
    /// left half done: the family named, else IPv6 for an IPv6 internal client or a pinhole id, else IPv4.
    /// </summary>
    internal static class AddressFamilyPlan
    {
        /// <exception cref="UpnpException">UpnpInvalidArgument: the request's fields do not fit the families named.</exception>
        public static IReadOnlyList<AddressFamily> Families(AddressFamilySelection? given, PortMappingRequest request)
        {
            var selection = given
                ?? (request.InternalClient?.AddressFamily == AddressFamily.InterNetworkV6 || request.PinholeId != null ? AddressFamilySelection.IPv6 : AddressFamilySelection.IPv4);
            if (selection == AddressFamilySelection.Both && request.InternalClient != null)
            {
                throw PortMappingTarget.Invalid(
                    "InternalClient",
                    "-AddressFamily Both opens this host's own port on both families and takes no -InternalClient (one address cannot be both). Give -AddressFamily IPv4 or IPv6 with it, or leave it out.");
            }

            if (selection == AddressFamilySelection.IPv4 && (request.RemotePort != null || request.PinholeId != null))
            {
                throw PortMappingTarget.Invalid(
                    request.RemotePort != null ? "RemotePort" : "PinholeId",
                    "-RemotePort and -PinholeId apply to IPv6 pinholes only; an IPv4 port mapping cannot take them. Use -AddressFamily IPv6 or Both, or leave them out.");
            }

            return selection.Expand();
        }
    }
}
