using System;
using System.Net;
using System.Net.Sockets;

namespace PSUpnp.Net
{
    /// <summary>One IPv4 address of an up network interface, with its prefix: what discovery searches from.</summary>
    internal sealed class LocalInterface
    {
        public LocalInterface(string name, IPAddress address, IPAddress mask, bool supportsMulticast)
        {
            if (address.AddressFamily != AddressFamily.InterNetwork || mask.AddressFamily != AddressFamily.InterNetwork)
            {
                throw new ArgumentException("LocalInterface holds IPv4 addresses only.");
            }

            Name = name;
            Address = address;
            Mask = mask;
            SupportsMulticast = supportsMulticast;
        }

        public string Name { get; }
        public IPAddress Address { get; }
        public IPAddress Mask { get; }
        public bool SupportsMulticast { get; }

        /// <summary>True when <paramref name="other"/> lies within this interface's IPv4 prefix: directly connected.</summary>
        public bool IsOnLink(IPAddress other)
        {
            other = MappedAddress.Unmap(other);
            if (other.AddressFamily != AddressFamily.InterNetwork)
            {
                return false;
            }

            var a = Address.GetAddressBytes();
            var m = Mask.GetAddressBytes();
            var o = other.GetAddressBytes();
            for (var i = 0; i < 4; i++)
            {
                if ((a[i] & m[i]) != (o[i] & m[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override string ToString() => Name + " " + Address + "/" + PrefixLength(Mask);

        private static int PrefixLength(IPAddress mask)
        {
            var bits = 0;
            foreach (var b in mask.GetAddressBytes())
            {
                for (var v = b; v != 0; v = (byte)(v << 1))
                {
                    bits++;
                }
            }

            return bits;
        }
    }
}
