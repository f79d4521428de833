using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PSUpnp.Stun
{
    /// <summary>The 96-bit transaction ID of RFC 8489, which follows the magic cookie.</summary>
    internal readonly struct StunTransactionId : IEquatable<StunTransactionId>
    {
        public const int Length = 12;

        private readonly byte[]? _bytes;

        public StunTransactionId(byte[] bytes)
            : this(bytes, 0)
        {
        }

        internal StunTransactionId(byte[] buffer, int offset)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException(nameof(buffer));
            }

            if (offset < 0 || buffer.Length - offset < Length)
            {
                throw new ArgumentException("A STUN transaction ID has 12 bytes.", nameof(buffer));
            }

            _bytes = new byte[Length];
            Buffer.BlockCopy(buffer, offset, _bytes, 0, Length);
        }

        /// <summary>A fresh ID from the cryptographic generator: an off-path attacker must not guess it.</summary>
        public static StunTransactionId NewId()
        {
            var bytes = new byte[Length];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(bytes);
            }

            return new StunTransactionId(bytes);
        }

        public static StunTransactionId Parse(string hex)
        {
            if (hex == null || hex.Length != Length * 2)
            {
                throw new FormatException("A STUN transaction ID is 24 hexadecimal digits.");
            }

            var bytes = new byte[Length];
            for (var i = 0; i < Length; i++)
            {
                bytes[i] = byte.Parse(hex.Substring(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            return new StunTransactionId(bytes);
        }

        public byte[] ToArray() => (byte[])Bytes.Clone();

        internal byte[] Bytes => _bytes ?? new byte[Length];

        internal void CopyTo(byte[] buffer, int offset) => Buffer.BlockCopy(Bytes, 0, buffer, offset, Length);

        public bool Equals(StunTransactionId other)
        {
            var a = Bytes;
            var b = other.Bytes;
            for (var i = 0; i < Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is StunTransactionId other && Equals(other);

        public override int GetHashCode()
        {
            var b = Bytes;
            return b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24);
        }

        public override string ToString()
        {
            var sb = new StringBuilder(Length * 2);
            foreach (var x in Bytes)
            {
                sb.Append(x.ToString("x2", CultureInfo.InvariantCulture));
            }

            return sb.ToString();
        }

        public static bool operator ==(StunTransactionId left, StunTransactionId right) => left.Equals(right);

        public static bool operator !=(StunTransactionId left, StunTransactionId right) => !left.Equals(right);
    }
}
