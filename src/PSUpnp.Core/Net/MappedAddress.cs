using System.Net;

namespace PSUpnp.Net
{
    /// <summary>
    /// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, what a dual-mode socket reports and what a user may type) as the
    /// IPv4 address they stand for, so that comparisons, range checks and encoders see one form.
    /// </summary>
    internal static class MappedAddress
    {
        public static IPAddress Unmap(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

        public static IPEndPoint Unmap(IPEndPoint endPoint) =>
            endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
    }
}
