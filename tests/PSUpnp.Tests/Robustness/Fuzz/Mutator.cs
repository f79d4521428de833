using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace PSUpnp.Tests.Fuzz
{
    /// <summary>
    /// The one mutator every parser's fuzz test shares. Deterministic for a given seed, so that a failure reproduces: one
    /// input in ten is random bytes; the others are a seed message with one to four stacked mutations (bit flips, byte
    /// changes, the parser's own tokens inserted, ranges deleted, duplicated or spliced from another seed, numbers
    /// replaced with edge values, truncation).
    /// </summary>
    internal sealed class Mutator
    {
        // Bytes that mean something to one of the formats: markup, line ends, separators, the ends of the byte range.
        private static readonly byte[] InterestingBytes = Encoding.ASCII.GetBytes("<>&;\"'=:/ \t\r\n0[]!?%#-").Concat(new byte[] { 0x00, 0x01, 0x7F, 0x80, 0xC0, 0xFE, 0xFF }).ToArray();

        private static readonly string[] EdgeNumbers =
        {
            "0", "-1", "1", "65535", "65536", "2147483647", "2147483648", "4294967295", "4294967296", "99999999999999999999", "007", "0x10", "1e9", " 5", "",
        };

        private readonly Random _random;
        private readonly IReadOnlyList<byte[]> _seeds;
        private readonly IReadOnlyList<byte[]> _tokens;
        private readonly int _maxLength;

        /// <param name="seed">Makes the sequence of inputs reproducible.</param>
        /// <param name="seeds">Valid messages to start from.</param>
        /// <param name="tokens">Fragments of the format that random bytes would rarely produce (header names, markup).</param>
        public Mutator(int seed, IReadOnlyList<byte[]> seeds, IEnumerable<byte[]> tokens)
        {
            if (seeds.Count == 0)
            {
                throw new ArgumentException("A mutator needs at least one seed.", nameof(seeds));
            }

            _random = new Random(seed);
            _seeds = seeds;
            _tokens = tokens.ToList();
            _maxLength = (2 * seeds.Max(s => s.Length)) + 1024;
        }

        /// <summary>A random source that follows the same seed, for a caller that needs more choices per input.</summary>
        public Random Random => _random;

        public byte[] Next()
        {
            if (_random.Next(10) == 0)
            {
                var noise = new byte[_random.Next(0, Math.Min(_maxLength, 512))];
                _random.NextBytes(noise);
                return noise;
            }

            var input = _seeds[_random.Next(_seeds.Count)];
            var mutations = 1 + (_random.Next(8) switch { < 4 => 0, < 6 => 1, 6 => 2, _ => 3 });
            for (var i = 0; i < mutations; i++)
            {
                input = MutateOnce(input);
            }

            return input.Length > _maxLength ? input.AsSpan(0, _maxLength).ToArray() : input;
        }

        private byte[] MutateOnce(byte[] input)
        {
            if (input.Length == 0)
            {
                return Insert(input, 0, Token());
            }

            var at = _random.Next(input.Length);
            switch (_random.Next(10))
            {
                case 0:
                    return With(input, at, (byte)(input[at] ^ (1 << _random.Next(8))));
                case 1:
                    return With(input, at, InterestingBytes[_random.Next(InterestingBytes.Length)]);
                case 2:
                    return With(input, at, (byte)_random.Next(256));
                case 3:
                case 4:
                    return Insert(input, _random.Next(input.Length + 1), Token());
                case 5:
                    return Remove(input, at, 1 + _random.Next(Math.Min(input.Length - at, _random.Next(2) == 0 ? 4 : 64)));
                case 6:
                    var length = 1 + _random.Next(Math.Min(input.Length - at, 64));
                    return Insert(input, _random.Next(input.Length + 1), input.AsSpan(at, length).ToArray());
                case 7:
                    // Splice: this input's start, another seed's end.
                    var other = _seeds[_random.Next(_seeds.Count)];
                    var from = _random.Next(other.Length + 1);
                    return input.AsSpan(0, at).ToArray().Concat(other.AsSpan(from).ToArray()).ToArray();
                case 8:
                    return ReplaceNumber(input, at);
                default:
                    return input.AsSpan(0, at).ToArray();
            }
        }

        private byte[] Token() =>
            _tokens.Count > 0 && _random.Next(4) != 0
                ? _tokens[_random.Next(_tokens.Count)]
                : new[] { InterestingBytes[_random.Next(InterestingBytes.Length)] };

        // The run of digits at or after the position becomes an edge value (a port, a length, a code, a lease).
        private byte[] ReplaceNumber(byte[] input, int at)
        {
            var start = at;
            while (start < input.Length && (input[start] < '0' || input[start] > '9'))
            {
                start++;
            }

            if (start == input.Length)
            {
                return Insert(input, at, Encoding.ASCII.GetBytes(EdgeNumbers[_random.Next(EdgeNumbers.Length)]));
            }

            var end = start;
            while (end < input.Length && input[end] >= '0' && input[end] <= '9')
            {
                end++;
            }

            return Insert(Remove(input, start, end - start), start, Encoding.ASCII.GetBytes(EdgeNumbers[_random.Next(EdgeNumbers.Length)]));
        }

        private static byte[] With(byte[] input, int at, byte value)
        {
            var copy = (byte[])input.Clone();
            copy[at] = value;
            return copy;
        }

        private static byte[] Insert(byte[] input, int at, byte[] bytes)
        {
            var result = new byte[input.Length + bytes.Length];
            Buffer.BlockCopy(input, 0, result, 0, at);
            Buffer.BlockCopy(bytes, 0, result, at, bytes.Length);
            Buffer.BlockCopy(input, at, result, at + bytes.Length, input.Length - at);
            return result;
        }

        private static byte[] Remove(byte[] input, int at, int count)
        {
            var result = new byte[input.Length - count];
            Buffer.BlockCopy(input, 0, result, 0, at);
            Buffer.BlockCopy(input, at + count, result, at, input.Length - at - count);
            return result;
        }
    }
}
