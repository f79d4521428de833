using System;
using System.Linq;
using System.Net;
using PSUpnp.Pcp;
using Xunit;
using static PSUpnp.Tests.Stun.StunMessageTests;

namespace PSUpnp.Tests.Pcp
{
    /// <summary>PCP's encoder and parser against layouts computed by hand from RFC 6887 sections 7, 11, 13 and 14.</summary>
    public sealed class PcpCodecTests
    {
        internal const string NonceHex = "0102030405060708090a0b0c";
        internal static readonly PcpNonce Nonce = PcpNonce.Parse(NonceHex);

        // 192.168.77.10 as an IPv4-mapped IPv6 address, and "any IPv4 address" (::ffff:0.0.0.0).
        private const string MappedClient = "00000000000000000000ffffc0a84d0a";
        private const string AnyIPv4 = "00000000000000000000ffff00000000";
        private static readonly IPAddress Client = IPAddress.Parse("192.168.77.10");

        [Fact]
        public void AnAnnounceIsTheHeaderAloneWithLifetimeZeroAndTheClientAddressIPv4Mapped() =>
            Assert.Equal("02000000" + "00000000" + MappedClient, ToHex(PcpEncoder.AnnounceRequest(Client)));

        [Fact]
        public void AMapCarriesHeaderNonceProtocolPortsAndTheSuggestedExternalAddress()
        {
            var bytes = PcpEncoder.MapRequest(Client, 3600, Nonce, PcpEncoder.ProtocolTcp, 8080, 9090, PcpAddress.AnyIPv4, Array.Empty<PcpOption>());

            // version 2, R 0 + opcode 1, reserved | lifetime 3600 | client | nonce | TCP 6 + 3 reserved | 8080 | 9090 | ::ffff:0.0.0.0
            Assert.Equal("02010000" + "00000e10" + MappedClient + NonceHex + "06000000" + "1f90" + "2382" + AnyIPv4, ToHex(bytes));
            Assert.Equal(60, bytes.Length);
        }

        [Fact]
        public void AnIPv6MapNamesTheClientAndAnyIPv6AsTheyAre()
        {
            var bytes = PcpEncoder.MapRequest(IPAddress.Parse("2001:db8::10"), 0, Nonce, PcpEncoder.ProtocolUdp, 53, 0, IPAddress.IPv6Any, Array.Empty<PcpOption>());

            Assert.Equal("02010000" + "00000000" + "20010db8000000000000000000000010" + NonceHex + "11000000" + "0035" + "0000" + new string('0', 32), ToHex(bytes));
        }

        [Fact]
        public void OptionsFollowTheMapDataEachWithCodeReservedLengthAndPaddedData()
        {
            var options = new[]
            {
                PcpOption.ThirdParty(IPAddress.Parse("192.168.77.20")),
                PcpOption.PreferFailure(),
                PcpOption.Filter(IPAddress.Parse("11.11.0.2"), 32, 80),
            };

            var bytes = PcpEncoder.MapRequest(Client, 60, Nonce, PcpEncoder.ProtocolTcp, 80, 80, PcpAddress.AnyIPv4, options);

            Assert.Equal(
                "01000010" + "00000000000000000000ffffc0a84d14"                   // THIRD_PARTY, 16 bytes
                + "02000000"                                                    // PREFER_FAILURE, no data
                + "03000014" + "00" + "80" + "0050" + "00000000000000000000ffff0b0b0002", // FILTER: IPv4 /32 is /128 of the mapped form, port 80
                ToHex(bytes.Skip(60).ToArray()));
        }

        [Fact]
        public void AFilterOnAnIPv6PrefixKeepsItsLengthAndAnyPortIsZero() =>
            Assert.Equal("03000014" + "00" + "30" + "0000" + "20010db8000000000000000000000000", ToHex(Encoded(PcpOption.Filter(IPAddress.Parse("2001:db8::"), 48, 0))));

        [Fact]
        public void ARequestLongerThan1100BytesIsRefusedBeforeItIsSent()
        {
            var many = Enumerable.Repeat(PcpOption.Filter(IPAddress.Parse("11.11.0.2"), 32, 0), 50).ToArray();

            Assert.Throws<ArgumentException>(() => PcpEncoder.MapRequest(Client, 60, Nonce, PcpEncoder.ProtocolTcp, 80, 80, PcpAddress.AnyIPv4, many));
        }

        [Fact]
        public void AMapAnswerGivesLifetimeEpochTheEchoAndTheAssignedExternalPortAndAddress()
        {
            var answer = Parse("02810000" + "00000e10" + "00002b81" + Zeros(12) + NonceHex + "06000000" + "1f90" + "1f91" + "00000000000000000000ffff0b0b0001");

            Assert.Equal(PcpEncoder.Version, answer.Version);
            Assert.Equal(PcpOpcode.Map, answer.Opcode);
            Assert.Equal(PcpResultCode.Success, answer.ResultCode);
            Assert.Equal(3600u, answer.LifetimeSeconds);
            Assert.Equal(11137u, answer.Epoch);
            Assert.Equal(Nonce, answer.Nonce);
            Assert.Equal(PcpEncoder.ProtocolTcp, answer.Protocol);
            Assert.Equal(8080, answer.InternalPort);
            Assert.Equal(8081, answer.ExternalPort);
            Assert.Equal(IPAddress.Parse("11.11.0.1"), answer.ExternalAddress);
            Assert.Empty(answer.Options);
            Assert.False(answer.IsHeaderOnly);
        }

        [Fact]
        public void AnAnnounceAnswerIsTheHeaderWithTheEpoch()
        {
            var answer = Parse("02800000" + "00000000" + "00000007" + Zeros(12));

            Assert.Equal(PcpOpcode.Announce, answer.Opcode);
            Assert.Equal(7u, answer.Epoch);
        }

        [Fact]
        public void OptionsOfTheAnswerAreReadByTheirLengthsUnknownOnesKept()
        {
            var answer = Parse(MapAnswer("00") + "03000014" + "00" + "80" + "0050" + "00000000000000000000ffff0b0b0002" + "c8000003" + "aabbcc00");

            Assert.Equal(new byte[] { 3, 200 }, answer.Options.Select(o => o.Code).ToArray());
            Assert.Equal("aabbcc", ToHex(answer.Options[1].GetData()));
        }

        [Theory]
        [InlineData(2, "PcpNotAuthorized")]
        [InlineData(3, "PcpMalformedRequest")]
        [InlineData(8, "PcpNoResources")]
        public void ARefusalMayBeTheHeaderAloneWithTheLifetimeOfTheError(int code, string errorId)
        {
            var answer = Parse("0281" + "00" + code.ToString("x2") + "0000001e" + "00000009" + Zeros(12));

            Assert.True(answer.IsHeaderOnly);
            Assert.Null(answer.Nonce);
            var error = PcpResultCodes.Refusal(answer.ResultCode, TimeSpan.FromSeconds(answer.LifetimeSeconds), "MAP", null);
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(code, error.ResultCode);
            Assert.Equal(TimeSpan.FromSeconds(30), error.Lifetime);
        }

        [Fact]
        public void UnsupportedVersionIsItsOwnAnswerWithTheVersionTheServerSpeaks()
        {
            var pcp1 = Parse("01810001" + "00000000" + "00000010" + Zeros(12));
            var natPmp = Parse("00800001" + "00000010");
            var natPmpAsPrinted = Parse("00000001" + "00000010");

            Assert.True(pcp1.IsUnsupportedVersion);
            Assert.Equal(1, pcp1.Version);
            Assert.True(natPmp.IsUnsupportedVersion);
            Assert.Equal(0, natPmp.Version);
            Assert.Equal(16u, natPmp.Epoch);
            Assert.True(natPmpAsPrinted.IsUnsupportedVersion);
        }

        [Theory]
        [InlineData("0281000000000e10", "8 bytes")]                                                   // shorter than the header
        [InlineData("00820000000001f4", "a NAT-PMP answer (version 0) with result code 0")]
        [InlineData("02010000" + "00000000" + "00000000" + "000000000000000000000000", "R bit is clear")]
        [InlineData("02810000" + "00000e10" + "00000001" + "000000000000000000000000", "without its 36 bytes")]
        [InlineData("02850000" + "00000000" + "00000001" + "000000000000000000000000", "opcode 5")]
        [InlineData("03810000" + "00000000" + "00000001" + "000000000000000000000000", "version 3 with result code 0")]
        [InlineData("02800000" + "00000000" + "00000001" + "000000000000000000000000" + "00", "a multiple of 4")]
        [InlineData("02800000" + "00000000" + "00000001" + "000000000000000000000000" + "03000014", "claims 20 bytes")]
        [InlineData("02800000" + "00000000" + "00000001" + "000000000000000000000000" + "01000008" + "0000000000000000", "option 1 has 8 bytes of data, not 16")]
        [InlineData("02800000" + "00000000" + "00000001" + "000000000000000000000000" + "02000004" + "00000000", "option 2 has 4 bytes of data, not 0")]
        public void WhatBreaksTheFormatIsTheTypedMalformedAnswerError(string hex, string reason)
        {
            var bytes = Hex(hex);
            var error = Assert.Throws<PcpException>(() => PcpResponse.Parse(bytes, 0, bytes.Length));

            Assert.Equal("PcpMalformedResponse", error.ErrorId);
            Assert.Null(error.ResultCode);
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AnAnswerLongerThan1100BytesIsMalformed()
        {
            var bytes = Hex("02800000" + "00000000" + "00000001" + Zeros(12) + "c8000434" + Zeros(1076));

            Assert.Equal(1104, bytes.Length);
            Assert.Contains("at most 1100", Assert.Throws<PcpException>(() => PcpResponse.Parse(bytes, 0, bytes.Length)).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ANonceIsTwelveRandomBytesWrittenAs24HexDigits()
        {
            var first = PcpNonce.New();
            var second = PcpNonce.New();

            Assert.NotEqual(first, second);
            Assert.Equal(first, PcpNonce.Parse(first.ToString()));
            Assert.Equal(24, first.ToString().Length);
            Assert.Equal(NonceHex, Nonce.ToString());
            Assert.Throws<FormatException>(() => PcpNonce.Parse("0102"));
            Assert.Throws<FormatException>(() => PcpNonce.Parse("0102030405060708090a0b0g"));
        }

        [Theory]
        [InlineData(1000u, 60, 1060u, false)]   // in step
        [InlineData(1000u, 0, 998u, true)]      // back by more than one second
        [InlineData(1000u, 0, 999u, false)]     // back by one second: rounding
        [InlineData(1000u, 60, 1000u, true)]    // the server saw no time pass while the client saw 60 s
        [InlineData(1000u, 60, 1120u, true)]    // the server saw twice the time the client saw
        [InlineData(1000u, 160, 1152u, false)]  // within 2 s + 1/16 of the client's 160 s
        [InlineData(1000u, 160, 1147u, true)]   // beyond it
        public void TheEpochCheckFollowsRfc6887Section85(uint previous, int secondsLater, uint current, bool lost)
        {
            var then = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

            Assert.Equal(lost, PcpEpoch.MappingsLost(previous, then, current, then.AddSeconds(secondsLater)));
        }

        [Fact]
        public void RetransmissionWaitsThreeSecondsThenDoublesToMrtEachWithinTenPercent()
        {
            var waits = PcpRetransmission.Waits(new Random(6887)).Take(14).Select(w => w.TotalSeconds).ToList();

            Assert.InRange(waits[0], 2.7, 3.3);
            for (var i = 1; i < waits.Count; i++)
            {
                var basis = Math.Min(2 * waits[i - 1], 1024);
                Assert.InRange(waits[i], 0.9 * basis, 1.1 * basis);
            }

            Assert.InRange(waits[13], 0.9 * 1024, 1.1 * 1024);
            Assert.NotEqual(waits[12], waits[13]);
        }

        internal static string Zeros(int bytes) => new string('0', 2 * bytes);

        /// <summary>A successful MAP answer for TCP 8080 with the test nonce and the given result code (hex).</summary>
        internal static string MapAnswer(string result) =>
            "028100" + result + "00000e10" + "00000064" + Zeros(12) + NonceHex + "06000000" + "1f90" + "1f90" + "00000000000000000000ffff0b0b0001";

        private static PcpResponse Parse(string hex)
        {
            var bytes = Hex(hex);
            return PcpResponse.Parse(bytes, 0, bytes.Length);
        }

        private static byte[] Encoded(PcpOption option)
        {
            var bytes = new byte[option.EncodedLength];
            option.WriteTo(bytes, 0);
            return bytes;
        }
    }
}
