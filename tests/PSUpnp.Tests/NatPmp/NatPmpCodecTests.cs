using System;
using System.Net;
using PSUpnp.NatPmp;
using Xunit;
using static PSUpnp.Tests.Stun.StunMessageTests;

namespace PSUpnp.Tests.NatPmp
{
    /// <summary>NAT-PMP's encoder and parser against layouts computed by hand from RFC 6886 sections 3.2 to 3.5.</summary>
    public sealed class NatPmpCodecTests
    {
        [Fact]
        public void TheExternalAddressRequestIsVersionZeroOpcodeZero() =>
            Assert.Equal("0000", ToHex(NatPmpEncoder.ExternalAddressRequest()));

        [Fact]
        public void AMappingRequestCarriesOpcodeReservedPortsAndLifetimeBigEndian()
        {
            // TCP = opcode 2; reserved 0000; internal 8080 = 1f90; external 9090 = 2382; lifetime 7200 = 00001c20.
            Assert.Equal("00020000" + "1f90" + "2382" + "00001c20", ToHex(NatPmpEncoder.MapRequest(PortMappingProtocol.TCP, 8080, 9090, 7200)));

            // UDP = opcode 1; external 0 leaves the choice to the router; lifetime 4294967295 = ffffffff.
            Assert.Equal("00010000" + "ffff" + "0000" + "ffffffff", ToHex(NatPmpEncoder.MapRequest(PortMappingProtocol.UDP, 65535, 0, uint.MaxValue)));
        }

        [Fact]
        public void ADeletionHasLifetimeZeroAndExternalPortZero()
        {
            Assert.Equal("00010000" + "0035" + "0000" + "00000000", ToHex(NatPmpEncoder.DeleteRequest(PortMappingProtocol.UDP, 53)));
            Assert.Equal("00020000" + "0000" + "0000" + "00000000", ToHex(NatPmpEncoder.DeleteRequest(PortMappingProtocol.TCP, 0)));
        }

        [Theory]
        [InlineData(0, 0, 60u)]
        [InlineData(65536, 0, 60u)]
        [InlineData(80, -1, 60u)]
        [InlineData(80, 65536, 60u)]
        [InlineData(80, 80, 0u)]
        public void AMappingRequestRefusesPortsOutOfRangeAndLifetimeZero(int internalPort, int externalPort, uint lifetime) =>
            Assert.Throws<ArgumentOutOfRangeException>(() => NatPmpEncoder.MapRequest(PortMappingProtocol.TCP, internalPort, externalPort, lifetime));

        [Fact]
        public void AnExternalAddressAnswerGivesTheAddressAndTheEpoch()
        {
            // 00 80 | result 0000 | epoch 00002b81 (11137) | 0b0b0001 (11.11.0.1)
            var answer = NatPmpResponse.Parse(Hex("00800000" + "00002b81" + "0b0b0001"), 0, 12);

            Assert.Equal(NatPmpOpcode.ExternalAddress, answer.RequestOpcode);
            Assert.Equal(NatPmpResultCode.Success, answer.ResultCode);
            Assert.Equal(11137u, answer.Epoch);
            Assert.Equal(IPAddress.Parse("11.11.0.1"), answer.ExternalAddress);
        }

        [Fact]
        public void AMappingAnswerGivesPortsLifetimeAndEpoch()
        {
            var answer = NatPmpResponse.Parse(Hex("00820000" + "ffffffff" + "1f90" + "2383" + "00000e10"), 0, 16);

            Assert.Equal(NatPmpOpcode.MapTcp, answer.RequestOpcode);
            Assert.Equal(uint.MaxValue, answer.Epoch);
            Assert.Equal(8080, answer.InternalPort);
            Assert.Equal(9091, answer.ExternalPort);
            Assert.Equal(3600u, answer.LifetimeSeconds);
            Assert.False(answer.IsHeaderOnly);
        }

        [Theory]
        [InlineData("00810002000000ff", 1, 2)]
        [InlineData("00800003000000ff", 0, 3)]
        [InlineData("00800001000000ff", 0, 1)] // errata 3618: opcode 128
        [InlineData("00000001000000ff", 0, 1)] // as RFC 6886 printed it: opcode 0
        public void ARefusalMayBeTheHeaderAlone(string hex, int opcode, int result)
        {
            var answer = NatPmpResponse.Parse(Hex(hex), 0, 8);

            Assert.True(answer.IsHeaderOnly);
            Assert.Equal((NatPmpOpcode)opcode, answer.RequestOpcode);
            Assert.Equal((NatPmpResultCode)result, answer.ResultCode);
            Assert.Equal(255u, answer.Epoch);
        }

        [Fact]
        public void ARefusedExternalAddressAnswerHasNoAddress() =>
            Assert.Null(NatPmpResponse.Parse(Hex("00800003" + "00000001" + "0b0b0001"), 0, 12).ExternalAddress);

        [Theory]
        [InlineData("", "0 bytes")]
        [InlineData("0080000000000001", "an answer to opcode 0 has 12")]                          // success needs the body
        [InlineData("01800000000000010b0b0001", "version 1")]
        [InlineData("00020000000000010b0b0001", "opcode 2 is a request")]
        [InlineData("00830000000000010b0b0001", "opcode 131 answers no request")]
        [InlineData("00800000000000010b0b000100", "13 bytes")]
        [InlineData("0082000000000001000100020000000a00", "17 bytes")]
        public void WhatBreaksTheFormatIsTheTypedMalformedAnswerError(string hex, string reason)
        {
            var bytes = Hex(hex);
            var error = Assert.Throws<NatPmpException>(() => NatPmpResponse.Parse(bytes, 0, bytes.Length));

            Assert.Equal("NatPmpMalformedResponse", error.ErrorId);
            Assert.Null(error.ResultCode);
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AnAnswerIsReadFromItsOffsetWithinABuffer()
        {
            var buffer = Hex("ffff" + "00800000" + "00000007" + "0a000001" + "ffff");

            Assert.Equal(IPAddress.Parse("10.0.0.1"), NatPmpResponse.Parse(buffer, 2, 12).ExternalAddress);
        }

        [Theory]
        [InlineData(1, "NatPmpUnsupportedVersion")]
        [InlineData(2, "NatPmpNotAuthorized")]
        [InlineData(3, "NatPmpNetworkFailure")]
        [InlineData(4, "NatPmpOutOfResources")]
        [InlineData(5, "NatPmpUnsupportedOpcode")]
        [InlineData(17, "NatPmpUnknownResult")]
        public void EachResultCodeIsItsOwnCatalogueErrorCarryingTheCode(int code, string errorId)
        {
            var error = NatPmpResultCodes.Refusal((NatPmpResultCode)code, "mapping of TCP 80", null);

            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(code, error.ResultCode);
            Assert.Contains("result code " + code + " (" + NatPmpResultCodes.Meaning((NatPmpResultCode)code) + ")", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(1000u, 0, 1000u, false)]        // same instant, same epoch
        [InlineData(1000u, 80, 1070u, false)]       // 7/8 of 80 s is 70 s: exactly enough
        [InlineData(1000u, 80, 1068u, false)]       // within the 2 s slack
        [InlineData(1000u, 80, 1067u, true)]        // more than 2 s behind 7/8 of the time passed
        [InlineData(100000u, 10, 5u, true)]         // the router restarted: the epoch went back
        [InlineData(1000u, -30, 990u, true)]       // the local clock went back: no time passed, the epoch may not go back
        public void TheEpochCheckSaysTheRouterLostItsMappingsWhenTheEpochFallsBehindSevenEighthsOfTheTimePassed(uint previous, int secondsLater, uint current, bool lost)
        {
            var then = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
            Assert.Equal(lost, NatPmpEpoch.MappingsLost(previous, then, current, then.AddSeconds(secondsLater)));
        }
    }
}
