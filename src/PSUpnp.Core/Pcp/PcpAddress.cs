using System;
using System.Net;
using System.Net.Sockets;

namespace PSUpnp.Pcp
{
    /// <summary>
    /// PCP's 128-bit address fields (RFC 6887 section 5): an IPv6 address as is, an IPv4 address as its IPv4-mapped
    /// IPv6 form (::ffff:a.b.c.d). Read back, a mapped address is the IPv4 address it stands for.
    /// </summary>
    internal static class PcpAddress
    {
        public const int Length = 16;

        /// <summary>"Any IPv4 address" in a suggested-external-address field (::ffff:0.0.0.0).</summary>
        public static readonly IPAddress AnyIPv4 = IPAddress.Any.MapToIPv6();

        public static void Write(IPAddress address, byte[] destination, int offset)
        {
            var v6 = address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6() : address;
            if (v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw new ArgumentException("PCP carries IPv4 and IPv6 addresses only, not " + address.AddressFamily + ".", nameof(address));
            }

            Buffer.BlockCopy(v6.GetAddressBytes(), 0, destination, offset, Length);
        }

        public static IPAddress Read(byte[] data, int offset)
        {
            var bytes = new byte[Length];
            Buffer.BlockCopy(data, offset, bytes, 0, Length);
            var address = new IPAddress(bytes);
            return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        }
    }
}
