using System;
using System.Security.Cryptography;
using System.Text;

namespace PSUpnp.Pcp
{
    /// <summary>
    /// The 96-bit mapping nonce of RFC 6887 section 11.1: a MAP's answer must echo it, and renewing or deleting a
    /// mapping must send the nonce that made it, so whoever keeps a mapping keeps its nonce. New ones come from a
    /// cryptographic random source (an off-path attacker must not guess it).
    /// </summary>
    internal sealed class PcpNonce : IEquatable<PcpNonce>
    {
        public const int Length = 12;

        private readonly byte[] _bytes;

        private PcpNonce(byte[] bytes)
        {
            _bytes = bytes;
        }

        public static PcpNonce New()
        {
            var bytes = new byte[Length];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }

            return new PcpNonce(bytes);
        }

        public static PcpNonce FromBytes(byte[] bytes, int offset = 0)
        {
            if (bytes == null || offset < 0 || bytes.Length - offset < Length)
            {
                throw new ArgumentException("A PCP nonce is " + Length + " bytes.", nameof(bytes));
            }

            var copy = new byte[Length];
            Buffer.BlockCopy(bytes, offset, copy, 0, Length);
            return new PcpNonce(copy);
        }

        /// <summary>The nonce written as 24 hexadecimal digits (what <see cref="ToString"/> gives).</summary>
        public static PcpNonce Parse(string hex)
        {
            if (hex == null || hex.Length != Length * 2)
            {
                throw new FormatException("A PCP nonce is written as " + (Length * 2) + " hexadecimal digits.");
            }

            var bytes = new byte[Length];
            for (var i = 0; i < Length; i++)
            {
                bytes[i] = (byte)((Digit(hex[2 * i]) << 4) | Digit(hex[(2 * i) + 1]));
            }

            return new PcpNonce(bytes);
        }

        public void CopyTo(byte[] destination, int offset) => Buffer.BlockCopy(_bytes, 0, destination, offset, Length);

        public bool Matches(byte[] data, int offset)
        {
            for (var i = 0; i < Length; i++)
            {
                if (data[offset + i] != _bytes[i])
                {
                    return false;
                }
            }

            return true;
        }

        public bool Equals(PcpNonce? other) => other != null && other.Matches(_bytes, 0);

        public override bool Equals(object? obj) => Equals(obj as PcpNonce);

        public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

        public override string ToString()
        {
            var text = new StringBuilder(Length * 2);
            foreach (var b in _bytes)
            {
                text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }

        private static int Digit(char c) =>
            c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
            : throw new FormatException("'" + c + "' is not a hexadecimal digit of a PCP nonce.");
    }
}
