using System;
using System.Net;
using System.Net.Sockets;
using PSUpnp.Net;

namespace PSUpnp.Stun
{
    /// <summary>
    /// The address attribute layout shared by MAPPED-ADDRESS, XOR-MAPPED-ADDRESS, RESPONSE-ORIGIN, OTHER-ADDRESS and
    /// the RFC 3489 ones: a reserved byte, the family (1 = IPv4, 2 = IPv6), the port, the address. The XOR variant
    /// masks the port with the top of the magic cookie and the address with the cookie and the transaction ID.
    /// </summary>
    internal static class StunAddressCodec
    {
        private const byte FamilyIPv4 = 0x01;
        private const byte FamilyIPv6 = 0x02;

        public static byte[] Encode(IPEndPoint endPoint, StunTransactionId? xorWith)
        {
            if (endPoint == null)
            {
                throw new ArgumentNullException(nameof(endPoint));
            }

            var address = MappedAddress.Unmap(endPoint.Address);
            var raw = address.GetAddressBytes();
            var value = new byte[4 + raw.Length];
            value[1] = address.AddressFamily == AddressFamily.InterNetwork ? FamilyIPv4 : FamilyIPv6;
            value[2] = (byte)(endPoint.Port >> 8);
            value[3] = (byte)endPoint.Port;
            Buffer.BlockCopy(raw, 0, value, 4, raw.Length);
            if (xorWith.HasValue)
            {
                ApplyXor(value, xorWith.Value);
            }

            return value;
        }

        public static IPEndPoint Decode(ushort type, byte[] value, StunTransactionId? xorWith)
        {
            if (value.Length < 4)
            {
                throw StunException.Malformed(Name(type) + " is shorter than 4 bytes.");
            }

            int expected;
            switch (value[1])
            {
                case FamilyIPv4:
                    expected = 8;
                    break;
                case FamilyIPv6:
                    expected = 20;
                    break;
                default:
                    throw StunException.Malformed(Name(type) + " has unknown address family " + value[1] + ".");
            }

            if (value.Length != expected)
            {
                throw StunException.Malformed(Name(type) + " has length " + value.Length + " where its family needs " + expected + ".");
            }

            var copy = (byte[])value.Clone();
            if (xorWith.HasValue)
            {
                ApplyXor(copy, xorWith.Value);
            }

            var raw = new byte[expected - 4];
            Buffer.BlockCopy(copy, 4, raw, 0, raw.Length);
            return new IPEndPoint(new IPAddress(raw), (copy[2] << 8) | copy[3]);
        }

        private static void ApplyXor(byte[] value, StunTransactionId transactionId)
        {
            var mask = new byte[16];
            mask[0] = 0x21;
            mask[1] = 0x12;
            mask[2] = 0xA4;
            mask[3] = 0x42;
            transactionId.CopyTo(mask, 4);
            value[2] ^= mask[0];
            value[3] ^= mask[1];
            for (var i = 4; i < value.Length; i++)
            {
                value[i] ^= mask[i - 4];
            }
        }

        internal static string Name(ushort type) => type switch
        {
            StunAttributeType.MappedAddress => "MAPPED-ADDRESS",
            StunAttributeType.XorMappedAddress => "XOR-MAPPED-ADDRESS",
            StunAttributeType.ResponseOrigin => "RESPONSE-ORIGIN",
            StunAttributeType.OtherAddress => "OTHER-ADDRESS",
            StunAttributeType.ChangedAddress => "CHANGED-ADDRESS",
            StunAttributeType.SourceAddress => "SOURCE-ADDRESS",
            StunAttributeType.ResponseAddress => "RESPONSE-ADDRESS",
            StunAttributeType.AlternateServer => "ALTERNATE-SERVER",
            _ => "attribute 0x" + type.ToString("X4", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
