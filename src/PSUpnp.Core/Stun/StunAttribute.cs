using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace PSUpnp.Stun
{
    /// <summary>One attribute as it travels: its type and its value without padding. The factories encode the
    /// attributes this engine sends or its test servers answer.</summary>
    internal sealed class StunAttribute
    {
        private readonly byte[] _value;

        public StunAttribute(ushort type, byte[] value)
        {
            Type = type;
            _value = (byte[])(value ?? throw new ArgumentNullException(nameof(value))).Clone();
            if (_value.Length > ushort.MaxValue)
            {
                throw new ArgumentException("A STUN attribute value holds at most 65535 bytes.", nameof(value));
            }
        }

        public ushort Type { get; }

        public int Length => _value.Length;

        public byte[] GetValue() => (byte[])_value.Clone();

        internal byte[] Value => _value;

        public static StunAttribute MappedAddress(IPEndPoint endPoint) =>
            new StunAttribute(StunAttributeType.MappedAddress, StunAddressCodec.Encode(endPoint, null));

        public static StunAttribute XorMappedAddress(IPEndPoint endPoint, StunTransactionId transactionId) =>
            new StunAttribute(StunAttributeType.XorMappedAddress, StunAddressCodec.Encode(endPoint, transactionId));

        public static StunAttribute ResponseOrigin(IPEndPoint endPoint) =>
            new StunAttribute(StunAttributeType.ResponseOrigin, StunAddressCodec.Encode(endPoint, null));

        public static StunAttribute OtherAddress(IPEndPoint endPoint) =>
            new StunAttribute(StunAttributeType.OtherAddress, StunAddressCodec.Encode(endPoint, null));

        public static StunAttribute ChangedAddress(IPEndPoint endPoint) =>
            new StunAttribute(StunAttributeType.ChangedAddress, StunAddressCodec.Encode(endPoint, null));

        public static StunAttribute SourceAddress(IPEndPoint endPoint) =>
            new StunAttribute(StunAttributeType.SourceAddress, StunAddressCodec.Encode(endPoint, null));

        /// <summary>CHANGE-REQUEST (RFC 5780 section 7.2): flag 0x4 asks for another IP, 0x2 for another port.</summary>
        public static StunAttribute ChangeRequest(bool changeIp, bool changePort) =>
            new StunAttribute(StunAttributeType.ChangeRequest, new byte[] { 0, 0, 0, (byte)((changeIp ? 4 : 0) | (changePort ? 2 : 0)) });

        /// <summary>RESPONSE-PORT (RFC 5780 section 7.5): the port, then two reserved bytes.</summary>
        public static StunAttribute ResponsePort(int port) =>
            new StunAttribute(StunAttributeType.ResponsePort, new byte[] { (byte)(port >> 8), (byte)port, 0, 0 });

        /// <summary>PADDING (RFC 5780 section 7.6): zero bytes that make the datagram larger.</summary>
        public static StunAttribute Padding(int length) => new StunAttribute(StunAttributeType.Padding, new byte[length]);

        public static StunAttribute Software(string description)
        {
            var bytes = Encoding.UTF8.GetBytes(description ?? throw new ArgumentNullException(nameof(description)));
            if (bytes.Length > 763)
            {
                throw new ArgumentException("SOFTWARE holds fewer than 128 characters (at most 763 bytes).", nameof(description));
            }

            return new StunAttribute(StunAttributeType.Software, bytes);
        }

        public static StunAttribute ErrorCode(int code, string reason)
        {
            if (code < 300 || code > 699)
            {
                throw new ArgumentOutOfRangeException(nameof(code), "A STUN error code lies between 300 and 699.");
            }

            var text = Encoding.UTF8.GetBytes(reason ?? string.Empty);
            var value = new byte[4 + text.Length];
            value[2] = (byte)(code / 100);
            value[3] = (byte)(code % 100);
            Buffer.BlockCopy(text, 0, value, 4, text.Length);
            return new StunAttribute(StunAttributeType.ErrorCode, value);
        }

        public static StunAttribute UnknownAttributes(IReadOnlyList<ushort> types)
        {
            var value = new byte[types.Count * 2];
            for (var i = 0; i < types.Count; i++)
            {
                value[i * 2] = (byte)(types[i] >> 8);
                value[(i * 2) + 1] = (byte)types[i];
            }

            return new StunAttribute(StunAttributeType.UnknownAttributes, value);
        }
    }
}
