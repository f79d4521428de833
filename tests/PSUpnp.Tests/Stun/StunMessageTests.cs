using System;
using System.Linq;
using System.Net;
using System.Text;
using PSUpnp.Stun;
using Xunit;

namespace PSUpnp.Tests.Stun
{
    public class StunMessageTests
    {
        private static readonly StunTransactionId Counting = StunTransactionId.Parse("000102030405060708090a0b");
        private static readonly StunTransactionId Rfc5769Id = StunTransactionId.Parse("b7e7a701bc34d686fa87dfae");

        internal static byte[] Hex(string hex)
        {
            hex = hex.Replace(" ", string.Empty);
            return Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(i * 2, 2), 16)).ToArray();
        }

        internal static string ToHex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2")));

        [Fact]
        public void EncodesBindingRequestWithChangeRequestAndFingerprintByteExact()
        {
            var message = new StunMessage(StunMessageClass.Request, StunMethod.Binding, Counting, new[] { StunAttribute.ChangeRequest(true, true) });

            // Layout from RFC 8489 sections 5, 14.7 and RFC 5780 section 7.2; the CRC computed independently (zlib.crc32 over the bytes before FINGERPRINT).
            Assert.Equal("000100102112a442000102030405060708090a0b" + "0003000400000006" + "80280004dbc88c4a", ToHex(message.Encode(true)));
        }

        [Fact]
        public void EncodesXorMappedAddressIPv4AsInRfc5769()
        {
            var message = new StunMessage(StunMessageClass.SuccessResponse, StunMethod.Binding, Rfc5769Id, new[]
            {
                StunAttribute.XorMappedAddress(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), Rfc5769Id),
            });

            Assert.Equal("0101000c2112a442b7e7a701bc34d686fa87dfae" + "002000080001a147e112a643", ToHex(message.Encode(false)));
        }

        [Fact]
        public void EncodesXorMappedAddressIPv6AsInRfc5769()
        {
            var attribute = StunAttribute.XorMappedAddress(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), Rfc5769Id);

            Assert.Equal("0002a1470113a9faa5d3f179bc25f4b5bed2b9d9", ToHex(attribute.GetValue()));
        }

        [Fact]
        public void PadsOddLengthAttributesWithZerosAndCountsOnlyTheValueInTheLength()
        {
            var message = new StunMessage(StunMessageClass.Request, StunMethod.Binding, Counting, new[] { StunAttribute.Software("abcde") });

            Assert.Equal("0001000c2112a442000102030405060708090a0b" + "80220005" + "6162636465000000", ToHex(message.Encode(false)));
        }

        [Fact]
        public void EncodesEveryRfc5780AndRfc3489AddressAttributeInItsOwnLayout()
        {
            var ep = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 3479);
            var message = new StunMessage(StunMessageClass.SuccessResponse, StunMethod.Binding, Counting, new[]
            {
                StunAttribute.MappedAddress(ep),
                StunAttribute.ResponseOrigin(ep),
                StunAttribute.OtherAddress(ep),
                StunAttribute.ChangedAddress(ep),
                StunAttribute.SourceAddress(ep),
                StunAttribute.ResponsePort(40000),
                StunAttribute.Padding(3),
                StunAttribute.ErrorCode(420, "Unknown"),
                StunAttribute.UnknownAttributes(new ushort[] { 0x0031, 0x7777 }),
            });

            const string Address = "00080001" + "0d97" + "c6336407";
            Assert.Equal(
                "0101" + "0064" + "2112a442000102030405060708090a0b"
                + "0001" + Address + "802b" + Address + "802c" + Address + "0005" + Address + "0004" + Address
                + "002700049c400000"
                + "0026000300000000"
                + "0009000b" + "00000414" + "556e6b6e6f776e00"
                + "000a0004" + "00317777",
                ToHex(message.Encode(false)));
        }

        [Fact]
        public void DecodesWhatItEncodesWithEveryTypedValue()
        {
            var ep6 = new IPEndPoint(IPAddress.Parse("2001:db8::5"), 61000);
            var ep4 = new IPEndPoint(IPAddress.Parse("203.0.113.9"), 3478);
            var original = new StunMessage(StunMessageClass.ErrorResponse, StunMethod.Binding, Counting, new[]
            {
                StunAttribute.XorMappedAddress(ep6, Counting),
                StunAttribute.MappedAddress(ep4),
                StunAttribute.ResponseOrigin(ep4),
                StunAttribute.OtherAddress(ep6),
                StunAttribute.ChangedAddress(ep4),
                StunAttribute.SourceAddress(ep6),
                StunAttribute.ChangeRequest(false, true),
                StunAttribute.ResponsePort(1234),
                StunAttribute.Software("PSUpnp test"),
                StunAttribute.ErrorCode(420, "Unknown Attribute"),
                StunAttribute.UnknownAttributes(new ushort[] { 0x0031 }),
            });

            var decoded = StunMessage.Decode(original.Encode(true));

            Assert.Equal(StunMessageClass.ErrorResponse, decoded.Class);
            Assert.Equal(StunMethod.Binding, decoded.Method);
            Assert.Equal(Counting, decoded.TransactionId);
            Assert.True(decoded.HasMagicCookie);
            Assert.True(decoded.HasFingerprint);
            Assert.Equal(ep6, decoded.XorMappedAddress);
            Assert.Equal(ep4, decoded.MappedAddress);
            Assert.Equal(ep4, decoded.ResponseOrigin);
            Assert.Equal(ep6, decoded.OtherAddress);
            Assert.Equal(ep4, decoded.ChangedAddress);
            Assert.Equal(ep6, decoded.SourceAddress);
            Assert.False(decoded.ChangeIp);
            Assert.True(decoded.ChangePort);
            Assert.Equal(1234, decoded.ResponsePort);
            Assert.Equal("PSUpnp test", decoded.Software);
            Assert.Equal(420, decoded.Error!.Code);
            Assert.Equal("Unknown Attribute", decoded.Error.Reason);
            Assert.Equal(new ushort[] { 0x0031 }, decoded.UnknownAttributes);
            Assert.Equal(ToHex(original.Encode(true)), ToHex(decoded.Encode(true)));
        }

        [Fact]
        public void ClassAndMethodBitsInterleaveAsRfc8489Section5Says()
        {
            // Method 0xABC as an indication: M11..M7 (10101) C1 (0) M6..M4 (011) C0 (1) M3..M0 (1100).
            var message = new StunMessage(StunMessageClass.Indication, 0xABC, Counting);
            var bytes = message.Encode(false);

            Assert.Equal("2a7c", ToHex(bytes.Take(2).ToArray()));
            var decoded = StunMessage.Decode(bytes);
            Assert.Equal(0xABC, decoded.Method);
            Assert.Equal(StunMessageClass.Indication, decoded.Class);
        }

        [Fact]
        public void TransactionIdsComeFromTheCryptographicGeneratorAndDiffer()
        {
            var ids = Enumerable.Range(0, 1000).Select(_ => StunTransactionId.NewId()).ToList();

            Assert.Equal(1000, ids.Distinct().Count());
        }

        [Fact]
        public void EveryTruncationOfAValidMessageIsAMalformedMessageError()
        {
            var full = Response().Encode(true);
            Assert.Equal(StunMessage.HeaderLength + 56, full.Length);

            for (var length = 0; length < full.Length; length++)
            {
                var error = Assert.Throws<StunException>(() => StunMessage.Decode(full, 0, length));
                Assert.Equal(UpnpErrors.StunMalformedMessage.Id, error.ErrorId);
            }
        }

        [Fact]
        public void ABadFingerprintIsItsOwnError()
        {
            var bytes = Response().Encode(true);
            bytes[bytes.Length - 1] ^= 0x01;

            var error = Assert.Throws<StunException>(() => StunMessage.Decode(bytes));
            Assert.Equal(UpnpErrors.StunFingerprintMismatch.Id, error.ErrorId);
            Assert.Equal(UpnpErrorCategory.InvalidData, error.Category);
        }

        [Theory]
        [InlineData("c00100002112a442000102030405060708090a0b", "first two bits")]
        [InlineData("000100022112a442000102030405060708090a0b0000", "multiple of 4")]
        [InlineData("000100082112a442000102030405060708090a0b0020000800010001", "remain")]
        [InlineData("000100082112a442000102030405060708090a0b", "datagram carries 0")]
        [InlineData("000100042112a442000102030405060708090a0b0000000000", "datagram carries 5")]
        [InlineData("0001000c2112a442000102030405060708090a0b002000080003000100000000", "family 3")]
        [InlineData("0001000c2112a442000102030405060708090a0b0020000700010001000000" + "00", "length 7")]
        [InlineData("000100182112a442000102030405060708090a0b002000080002000100000000" + "0001000800010001" + "00000000", "needs 20")]
        [InlineData("000100082112a442000102030405060708090a0b0009000400000264", "between 300 and 699")]
        [InlineData("000100082112a442000102030405060708090a0b000a000300310000", "odd length")]
        [InlineData("000100082112a442000102030405060708090a0b0003000200000000", "CHANGE-REQUEST")]
        [InlineData("000100082112a442000102030405060708090a0b0027000200000000", "RESPONSE-PORT")]
        [InlineData("000100082112a442000102030405060708090a0b8028000300000000", "instead of 4")]
        public void MalformedMessagesNameWhatIsWrong(string hex, string fragment)
        {
            var error = Assert.Throws<StunException>(() => StunMessage.Decode(Hex(hex)));

            Assert.Equal(UpnpErrors.StunMalformedMessage.Id, error.ErrorId);
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
            Assert.NotNull(error.RecommendedAction);
        }

        [Fact]
        public void AnAttributeAfterFingerprintIsMalformed()
        {
            var original = Response().Encode(true);
            var bytes = original.Concat(new byte[] { 0x80, 0x22, 0, 0 }).ToArray();
            bytes[3] += 4;
            var fingerprintAt = original.Length - 8;
            var crc = Crc32.Compute(bytes, 0, fingerprintAt) ^ 0x5354554Eu;
            bytes[fingerprintAt + 4] = (byte)(crc >> 24);
            bytes[fingerprintAt + 5] = (byte)(crc >> 16);
            bytes[fingerprintAt + 6] = (byte)(crc >> 8);
            bytes[fingerprintAt + 7] = (byte)crc;

            var error = Assert.Throws<StunException>(() => StunMessage.Decode(bytes));
            Assert.Contains("follows FINGERPRINT", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void OnlyTheFirstOfDuplicatedAttributesCounts()
        {
            var first = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1);
            var message = new StunMessage(StunMessageClass.SuccessResponse, StunMethod.Binding, Counting, new[]
            {
                StunAttribute.XorMappedAddress(first, Counting),
                StunAttribute.XorMappedAddress(new IPEndPoint(IPAddress.Parse("192.0.2.2"), 2), Counting),
            });

            var decoded = StunMessage.Decode(message.Encode(false));
            Assert.Equal(2, decoded.Attributes.Count);
            Assert.Equal(first, decoded.XorMappedAddress);
        }

        [Fact]
        public void AnRfc3489MessageWithoutCookieDecodesAndSaysSo()
        {
            var bytes = Hex("0101000c" + "0102030405060708090a0b0c0d0e0f10" + "0001000800010d96c0000201");

            var decoded = StunMessage.Decode(bytes);
            Assert.False(decoded.HasMagicCookie);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 3478), decoded.MappedAddress);
            Assert.Equal(decoded.MappedAddress, decoded.ReflexiveAddress);
        }

        // Mutated and random inputs: see Fuzz/ParserFuzzTests.StunDecoderEndsEveryInputInAMessageOrTheEnginesOwnError,
        // which shares one mutator with every other parser's fuzz test.

        [Fact]
        public void VerifiesMessageIntegrityOfTheRfc5769SampleResponse()
        {
            // RFC 5769 section 2.2, spec text.
            var bytes = Hex(
                "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147e112a643"
                + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96");

            var decoded = StunMessage.Decode(bytes);
            Assert.True(decoded.VerifyMessageIntegrity(Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBt")));
            Assert.False(decoded.VerifyMessageIntegrity(Encoding.UTF8.GetBytes("wrong")));
            Assert.Equal("test vector", decoded.Software);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), decoded.XorMappedAddress);
        }

        private static StunMessage Response() => new StunMessage(StunMessageClass.SuccessResponse, StunMethod.Binding, Counting, new[]
        {
            StunAttribute.XorMappedAddress(new IPEndPoint(IPAddress.Parse("203.0.113.5"), 40000), Counting),
            StunAttribute.ResponseOrigin(new IPEndPoint(IPAddress.Parse("198.51.100.1"), 3478)),
            StunAttribute.OtherAddress(new IPEndPoint(IPAddress.Parse("198.51.100.2"), 3479)),
            StunAttribute.Software("PSUpnp"),
        });
    }
}
