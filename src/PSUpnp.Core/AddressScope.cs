using System.Net;
using System.Net.Sockets;
using PSUpnp.Net;

namespace PSUpnp
{
    /// <summary>Tells public addresses from the ranges the internet cannot reach (RFC 1918, RFC 6598, ...).</summary>
    public static class AddressScope
    {
        public static bool IsPublic(IPAddress address)
        {
            address = MappedAddress.Unmap(address);
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast)
                {
                    return false;
                }

                var b6 = address.GetAddressBytes();
                return (b6[0] & 0xFE) != 0xFC && !address.Equals(IPAddress.IPv6None);
            }

            var b = address.GetAddressBytes();
            return !(b[0] == 0
                || b[0] == 10
                || b[0] == 127
                || (b[0] == 100 && (b[1] & 0xC0) == 64)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && (b[1] & 0xF0) == 16)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] & 0xFE) == 18)
                || b[0] >= 224);
        }

        /// <summary>100.64.0.0/10, the shared address space of carrier-grade NAT (RFC 6598).</summary>
        public static bool IsSharedAddressSpace(IPAddress address)
        {
            address = MappedAddress.Unmap(address);
            var b = address.GetAddressBytes();
            return address.AddressFamily == AddressFamily.InterNetwork && b[0] == 100 && (b[1] & 0xC0) == 64;
        }
    }
}
