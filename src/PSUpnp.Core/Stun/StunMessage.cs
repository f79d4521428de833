// Over 300 lines on purpose: the whole STUN wire format (header, every attribute's encoding and decoding, the
// integrity and fingerprint checks) in one place, so that encoder and parser cannot drift apart.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace PSUpnp.Stun
{
    /// <summary>
    /// A STUN message (RFC 8489, RFC 5389, with the RFC 5780 and RFC 3489 attributes): bytes in, message out, and
    /// back. Decoding is strict about the header and every attribute length, never reads past the datagram, and
    /// verifies FINGERPRINT; any violation is a <see cref="StunException"/>.
    /// </summary>
    internal sealed class StunMessage
    {
        public const int HeaderLength = 20;
        public const uint MagicCookie = 0x2112A442;
        private const uint FingerprintXor = 0x5354554E;

        private readonly StunAttribute[] _attributes;
        private readonly byte[]? _raw;
        private readonly int[]? _offsets;

        public StunMessage(StunMessageClass messageClass, ushort method, StunTransactionId transactionId, IEnumerable<StunAttribute>? attributes = null)
            : this(messageClass, method, transactionId, true, (attributes ?? Enumerable.Empty<StunAttribute>()).ToArray(), null, null)
        {
            if (method > 0xFFF)
            {
                throw new ArgumentOutOfRangeException(nameof(method), "A STUN method has 12 bits.");
            }

            if (_attributes.Any(a => a.Type == StunAttributeType.Fingerprint))
            {
                throw new ArgumentException("FINGERPRINT is computed by Encode; do not pass it.", nameof(attributes));
            }

            DecodeKnownAttributes();
        }

        private StunMessage(StunMessageClass messageClass, ushort method, StunTransactionId transactionId, bool hasMagicCookie, StunAttribute[] attributes, byte[]? raw, int[]? offsets)
        {
            Class = messageClass;
            Method = method;
            TransactionId = transactionId;
            HasMagicCookie = hasMagicCookie;
            _attributes = attributes;
            _raw = raw;
            _offsets = offsets;
            UnknownAttributes = Array.Empty<ushort>();
        }

        public StunMessageClass Class { get; }

        public ushort Method { get; }

        public StunTransactionId TransactionId { get; }

        /// <summary>False for an RFC 3489 message, whose 128-bit transaction ID takes the cookie's place.</summary>
        public bool HasMagicCookie { get; }

        public IReadOnlyList<StunAttribute> Attributes => _attributes;

        public IPEndPoint? MappedAddress { get; private set; }

        public IPEndPoint? XorMappedAddress { get; private set; }

        public IPEndPoint? ResponseOrigin { get; private set; }

        public IPEndPoint? OtherAddress { get; private set; }

        /// <summary>RFC 3489 servers name their alternate address this way.</summary>
        public IPEndPoint? ChangedAddress { get; private set; }

        /// <summary>RFC 3489 servers name the address they answered from this way.</summary>
        public IPEndPoint? SourceAddress { get; private set; }

        public bool? ChangeIp { get; private set; }

        public bool? ChangePort { get; private set; }

        public int? ResponsePort { get; private set; }

        public string? Software { get; private set; }

        public StunErrorCode? Error { get; private set; }

        public IReadOnlyList<ushort> UnknownAttributes { get; private set; }

        /// <summary>The raw HMAC of MESSAGE-INTEGRITY, when present; see <see cref="VerifyMessageIntegrity"/>.</summary>
        public byte[]? MessageIntegrity => Find(StunAttributeType.MessageIntegrity)?.GetValue();

        /// <summary>True when the message carried a FINGERPRINT; decoding already proved it right.</summary>
        public bool HasFingerprint { get; private set; }

        /// <summary>The reflexive address: XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS (RFC 3489 servers).</summary>
        public IPEndPoint? ReflexiveAddress => XorMappedAddress ?? MappedAddress;

        /// <summary>The server's alternate address: OTHER-ADDRESS, else CHANGED-ADDRESS (RFC 3489 servers).</summary>
        public IPEndPoint? AlternateAddress => OtherAddress ?? ChangedAddress;

        public StunAttribute? Find(ushort type) => _attributes.FirstOrDefault(a => a.Type == type);

        public static StunMessage Decode(byte[] buffer) => Decode(buffer ?? throw new ArgumentNullException(nameof(buffer)), 0, buffer.Length);

        public static StunMessage Decode(byte[] buffer, int offset, int count)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException(nameof(buffer));
            }

            if (offset < 0 || count < 0 || buffer.Length - offset < count)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            if (count < HeaderLength)
            {
                throw StunException.Malformed("it has " + count + " bytes, fewer than the 20-byte header.");
            }

            var raw = new byte[count];
            Buffer.BlockCopy(buffer, offset, raw, 0, count);
            if ((raw[0] & 0xC0) != 0)
            {
                throw StunException.Malformed("the first two bits of the header are not zero.");
            }

            var type = ReadUInt16(raw, 0);
            var length = ReadUInt16(raw, 2);
            if (length % 4 != 0)
            {
                throw StunException.Malformed("the length field " + length + " is not a multiple of 4.");
            }

            if (length != count - HeaderLength)
            {
                throw StunException.Malformed("the length field says " + length + " bytes of attributes but the datagram carries " + (count - HeaderLength) + ".");
            }

            var method = (ushort)((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));
            var messageClass = (StunMessageClass)(((type >> 7) & 0x2) | ((type >> 4) & 0x1));
            var hasCookie = ReadUInt32(raw, 4) == MagicCookie;

            var attributes = new List<StunAttribute>();
            var offsets = new List<int>();
            var position = HeaderLength;
            var sawFingerprint = false;
            while (position < count)
            {
                if (sawFingerprint)
                {
                    throw StunException.Malformed("an attribute follows FINGERPRINT, which must be the last.");
                }

                if (count - position < 4)
                {
                    throw StunException.Malformed("an attribute header is cut off at byte " + position + ".");
                }

                var attributeType = ReadUInt16(raw, position);
                var valueLength = ReadUInt16(raw, position + 2);
                var padded = (valueLength + 3) & ~3;
                if (padded > count - position - 4)
                {
                    throw StunException.Malformed(string.Format(
                        CultureInfo.InvariantCulture,
                        "attribute 0x{0:X4} at byte {1} claims {2} bytes (padded to {3}) but only {4} remain.",
                        attributeType,
                        position,
                        valueLength,
                        padded,
                        count - position - 4));
                }

                var value = new byte[valueLength];
                Buffer.BlockCopy(raw, position + 4, value, 0, valueLength);
                if (attributeType == StunAttributeType.Fingerprint)
                {
                    VerifyFingerprint(raw, position, value);
                    sawFingerprint = true;
                }

                attributes.Add(new StunAttribute(attributeType, value));
                offsets.Add(position);
                position += 4 + padded;
            }

            var message = new StunMessage(messageClass, method, new StunTransactionId(raw, 8), hasCookie, attributes.ToArray(), raw, offsets.ToArray())
            {
                HasFingerprint = sawFingerprint,
            };
            message.DecodeKnownAttributes();
            return message;
        }

        /// <summary>
        /// The message on the wire: attributes zero-padded to 4 bytes, and FINGERPRINT last when asked for
        /// (RFC 8489 section 14.7). A decoded message keeps its attributes in order; its FINGERPRINT is recomputed.
        /// </summary>
        public byte[] Encode(bool includeFingerprint)
        {
            var body = _attributes.Where(a => a.Type != StunAttributeType.Fingerprint).ToList();
            var length = body.Sum(a => 4 + ((a.Length + 3) & ~3)) + (includeFingerprint ? 8 : 0);
            if (length > ushort.MaxValue - 3)
            {
                throw new InvalidOperationException("The STUN message would exceed 65535 bytes of attributes.");
            }

            var buffer = new byte[HeaderLength + length];
            var type = (Method & 0x000F) | ((Method & 0x0070) << 1) | ((Method & 0x0F80) << 2)
                | (((int)Class & 0x1) << 4) | (((int)Class & 0x2) << 7);
            WriteUInt16(buffer, 0, type);
            WriteUInt16(buffer, 2, length);
            WriteUInt32(buffer, 4, MagicCookie);
            TransactionId.CopyTo(buffer, 8);
            var position = HeaderLength;
            foreach (var attribute in body)
            {
                WriteUInt16(buffer, position, attribute.Type);
                WriteUInt16(buffer, position + 2, attribute.Length);
                Buffer.BlockCopy(attribute.Value, 0, buffer, position + 4, attribute.Length);
                position += 4 + ((attribute.Length + 3) & ~3);
            }

            if (includeFingerprint)
            {
                WriteUInt16(buffer, position, StunAttributeType.Fingerprint);
                WriteUInt16(buffer, position + 2, 4);
                WriteUInt32(buffer, position + 4, Crc32.Compute(buffer, 0, position) ^ FingerprintXor);
            }

            return buffer;
        }

        /// <summary>
        /// Checks MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 section 14.5) of a decoded message with the key: the
        /// SASLprep'd password for short-term credentials, MD5(username ":" realm ":" password) for long-term ones.
        /// </summary>
        public bool VerifyMessageIntegrity(byte[] key)
        {
            if (_raw == null || _offsets == null)
            {
                throw new InvalidOperationException("Only a decoded message carries the bytes MESSAGE-INTEGRITY covers.");
            }

            var index = Array.FindIndex(_attributes, a => a.Type == StunAttributeType.MessageIntegrity);
            if (index < 0 || _attributes[index].Length != 20)
            {
                return false;
            }

            var start = _offsets[index];
            var covered = new byte[start];
            Buffer.BlockCopy(_raw, 0, covered, 0, start);
            WriteUInt16(covered, 2, start + 24 - HeaderLength);
            using (var hmac = new HMACSHA1(key))
            {
                var expected = hmac.ComputeHash(covered);
                var actual = _attributes[index].Value;
                var diff = 0;
                for (var i = 0; i < expected.Length; i++)
                {
                    diff |= expected[i] ^ actual[i];
                }

                return diff == 0;
            }
        }

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "STUN method 0x{0:X3} {1} {2} ({3} attributes)",
            Method,
            Class,
            TransactionId,
            _attributes.Length);

        private static void VerifyFingerprint(byte[] raw, int position, byte[] value)
        {
            if (value.Length != 4)
            {
                throw StunException.Malformed("FINGERPRINT has length " + value.Length + " instead of 4.");
            }

            var expected = Crc32.Compute(raw, 0, position) ^ FingerprintXor;
            var actual = ReadUInt32(value, 0);
            if (expected != actual)
            {
                throw new StunException(
                    UpnpErrors.StunFingerprintMismatch,
                    string.Format(CultureInfo.InvariantCulture, "The STUN message's FINGERPRINT is 0x{0:X8} but its bytes give 0x{1:X8}: it was damaged or forged.", actual, expected));
            }
        }

        private void DecodeKnownAttributes()
        {
            var seen = new HashSet<ushort>();
            foreach (var attribute in _attributes)
            {
                // RFC 8489 section 14: only the first of duplicated attributes counts.
                if (!seen.Add(attribute.Type))
                {
                    continue;
                }

                var value = attribute.Value;
                switch (attribute.Type)
                {
                    case StunAttributeType.MappedAddress:
                        MappedAddress = StunAddressCodec.Decode(attribute.Type, value, null);
                        break;
                    case StunAttributeType.XorMappedAddress:
                        XorMappedAddress = StunAddressCodec.Decode(attribute.Type, value, TransactionId);
                        break;
                    case StunAttributeType.ResponseOrigin:
                        ResponseOrigin = StunAddressCodec.Decode(attribute.Type, value, null);
                        break;
                    case StunAttributeType.OtherAddress:
                        OtherAddress = StunAddressCodec.Decode(attribute.Type, value, null);
                        break;
                    case StunAttributeType.ChangedAddress:
                        ChangedAddress = StunAddressCodec.Decode(attribute.Type, value, null);
                        break;
                    case StunAttributeType.SourceAddress:
                        SourceAddress = StunAddressCodec.Decode(attribute.Type, value, null);
                        break;
                    case StunAttributeType.ChangeRequest:
                        RequireLength(attribute, "CHANGE-REQUEST", 4);
                        ChangeIp = (value[3] & 0x4) != 0;
                        ChangePort = (value[3] & 0x2) != 0;
                        break;
                    case StunAttributeType.ResponsePort:
                        RequireLength(attribute, "RESPONSE-PORT", 4);
                        ResponsePort = ReadUInt16(value, 0);
                        break;
                    case StunAttributeType.Software:
                        if (value.Length > 763)
                        {
                            throw StunException.Malformed("SOFTWARE has " + value.Length + " bytes, more than 763.");
                        }

                        Software = Encoding.UTF8.GetString(value);
                        break;
                    case StunAttributeType.ErrorCode:
                        Error = DecodeErrorCode(value);
                        break;
                    case StunAttributeType.UnknownAttributes:
                        if (value.Length % 2 != 0)
                        {
                            throw StunException.Malformed("UNKNOWN-ATTRIBUTES has an odd length " + value.Length + ".");
                        }

                        var types = new ushort[value.Length / 2];
                        for (var i = 0; i < types.Length; i++)
                        {
                            types[i] = ReadUInt16(value, i * 2);
                        }

                        UnknownAttributes = types;
                        break;
                    case StunAttributeType.MessageIntegrity:
                        RequireLength(attribute, "MESSAGE-INTEGRITY", 20);
                        break;
                }
            }
        }

        private static StunErrorCode DecodeErrorCode(byte[] value)
        {
            if (value.Length < 4 || value.Length > 4 + 763)
            {
                throw StunException.Malformed("ERROR-CODE has length " + value.Length + ", outside 4 to 767.");
            }

            var hundreds = value[2] & 0x7;
            var number = value[3];
            if (hundreds < 3 || hundreds > 6 || number > 99)
            {
                throw StunException.Malformed(string.Format(CultureInfo.InvariantCulture, "ERROR-CODE has class {0} and number {1}; the code must lie between 300 and 699.", hundreds, number));
            }

            return new StunErrorCode((hundreds * 100) + number, Encoding.UTF8.GetString(value, 4, value.Length - 4));
        }

        private static void RequireLength(StunAttribute attribute, string name, int length)
        {
            if (attribute.Length != length)
            {
                throw StunException.Malformed(name + " has length " + attribute.Length + " instead of " + length + ".");
            }
        }

        internal static ushort ReadUInt16(byte[] b, int i) => (ushort)((b[i] << 8) | b[i + 1]);

        internal static uint ReadUInt32(byte[] b, int i) => ((uint)b[i] << 24) | ((uint)b[i + 1] << 16) | ((uint)b[i + 2] << 8) | b[i + 3];

        private static void WriteUInt16(byte[] b, int i, int v)
        {
            b[i] = (byte)(v >> 8);
            b[i + 1] = (byte)v;
        }

        private static void WriteUInt32(byte[] b, int i, uint v)
        {
            b[i] = (byte)(v >> 24);
            b[i + 1] = (byte)(v >> 16);
            b[i + 2] = (byte)(v >> 8);
            b[i + 3] = (byte)v;
        }
    }
}
