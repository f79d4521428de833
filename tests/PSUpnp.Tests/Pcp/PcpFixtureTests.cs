using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Pcp;
using PSUpnp.Tests.Fakes;
using PSUpnp.Tests.NatPmp;
using Xunit;

namespace PSUpnp.Tests.Pcp
{
    /// <summary>
    /// The lab miniupnpd's own PCP answers (Fixtures/miniupnpd-natpmp-pcp, see its README) through the parser and,
    /// replayed by a loopback server, through the client: what each means to a caller, including where miniupnpd 2.3.1
    /// departs from RFC 6887 (no nonce check, NO_RESOURCES for an absent mapping's deletion, PREFER_FAILURE ignored).
    /// </summary>
    public sealed class PcpFixtureTests
    {
        private static readonly PcpNonce Nonce = PcpCodecTests.Nonce;
        private static readonly PcpNonce OtherNonce = PcpNonce.Parse("a1a2a3a4a5a6a7a8a9aaabac");
        private static readonly IPAddress External = IPAddress.Parse("11.11.0.1");

        private static readonly string[] Replayed =
        {
            "pcp-announce.bin", "pcp-map-tcp.bin", "pcp-map-tcp-renewal.bin", "pcp-map-tcp-other-nonce.bin", "pcp-delete-tcp-other-nonce.bin",
            "pcp-delete-tcp-absent.bin", "pcp-map-tcp-port-taken.bin", "pcp-delete-tcp-port-taken.bin", "pcp-map-tcp-prefer-failure.bin",
            "pcp-delete-tcp-prefer-failure.bin", "pcp-map-tcp-denied-port.bin", "pcp-map-tcp-third-party.bin", "pcp-map-tcp-filter.bin",
            "pcp-delete-tcp-filter.bin", "pcp-unsupported-version.bin", "pcp-unsupported-opcode.bin",
        };

        [Fact]
        public void TheCaptureHoldsExactlyThePcpFixturesTheseTestsReplay()
        {
            var captured = Directory.GetFiles(NatPmpFixtureTests.Folder, "pcp-*").Select(f => Path.GetFileName(f)!);
            Assert.Equal(Replayed.OrderBy(f => f, StringComparer.Ordinal), captured.OrderBy(f => f, StringComparer.Ordinal));
        }

        [Fact]
        public void AnnounceIsAnsweredInVersionTwoWithTheEpoch()
        {
            var answer = Parse("pcp-announce.bin");

            Assert.Equal((PcpEncoder.Version, PcpOpcode.Announce, PcpResultCode.Success), (answer.Version, answer.Opcode, answer.ResultCode));
            Assert.True(answer.Epoch > 0);
        }

        [Theory]
        [InlineData("pcp-map-tcp.bin", 18301, 18301, 3600u)]
        [InlineData("pcp-map-tcp-renewal.bin", 18301, 18301, 7200u)]
        [InlineData("pcp-map-tcp-port-taken.bin", 18100, 18101, 3600u)]
        [InlineData("pcp-map-tcp-prefer-failure.bin", 18101, 18101, 3600u)]
        [InlineData("pcp-map-tcp-filter.bin", 18303, 18303, 3600u)]
        public async Task AGrantedMapEchoesTheRequestAndNamesTheExternalPortAndAddress(string name, int internalPort, int externalPort, uint lifetime)
        {
            var answer = await ReplayAsync(name, Nonce, internalPort, c => c.MapAsync(PortMappingProtocol.TCP, internalPort, internalPort, TimeSpan.FromHours(1), Nonce, CancellationToken.None));

            Assert.Equal(Nonce, answer.Nonce);
            Assert.Equal(internalPort, answer.InternalPort);
            Assert.Equal(externalPort, answer.ExternalPort);
            Assert.Equal(External, answer.ExternalAddress);
            Assert.Equal(TimeSpan.FromSeconds(lifetime), answer.Lifetime);
        }

        [Fact]
        public void MiniupnpdChecksNoNonceAndIgnoresPreferFailureButEchoesTheOptions()
        {
            var otherNonce = Parse("pcp-map-tcp-other-nonce.bin");
            var preferFailure = Parse("pcp-map-tcp-prefer-failure.bin");
            var filter = Parse("pcp-map-tcp-filter.bin");

            Assert.Equal((PcpResultCode.Success, OtherNonce), (otherNonce.ResultCode, otherNonce.Nonce));
            Assert.Equal((PcpResultCode.Success, 18101), (preferFailure.ResultCode, preferFailure.ExternalPort));
            Assert.Equal((byte)PcpOptionCode.PreferFailure, preferFailure.Options.Single().Code);
            Assert.Equal((byte)PcpOptionCode.Filter, filter.Options.Single().Code);
        }

        [Theory]
        [InlineData("pcp-delete-tcp-other-nonce.bin", 18301)]
        [InlineData("pcp-delete-tcp-port-taken.bin", 18100)]
        [InlineData("pcp-delete-tcp-filter.bin", 18303)]
        public void ADeletionAnswersLifetimeZero(string name, int internalPort)
        {
            var answer = Parse(name);

            Assert.Equal((PcpResultCode.Success, 0u, internalPort, 0), (answer.ResultCode, answer.LifetimeSeconds, answer.InternalPort, answer.ExternalPort));
        }

        [Fact]
        public async Task DeletingAMappingThatIsNotThereIsPcpNoResourcesForThirtySeconds()
        {
            var error = await Assert.ThrowsAsync<PcpException>(() => ReplayAsync("pcp-delete-tcp-absent.bin", Nonce, 18301, c => c.DeleteAsync(PortMappingProtocol.TCP, 18301, Nonce, CancellationToken.None)));

            Assert.Equal("PcpNoResources", error.ErrorId);
            Assert.Equal(TimeSpan.FromSeconds(30), error.Lifetime);
        }

        [Fact]
        public async Task ADeniedInternalPortIsPcpNotAuthorized()
        {
            var error = await Assert.ThrowsAsync<PcpException>(() => ReplayAsync("pcp-map-tcp-denied-port.bin", Nonce, 80, c => c.MapAsync(PortMappingProtocol.TCP, 80, 18280, TimeSpan.FromHours(1), Nonce, CancellationToken.None)));

            Assert.Equal("PcpNotAuthorized", error.ErrorId);
            Assert.Equal(2, error.ResultCode);
        }

        [Fact]
        public async Task AThirdPartyMappingIsPcpUnsupportedOption()
        {
            var options = new[] { PcpOption.ThirdParty(IPAddress.Parse("192.168.77.20")) };
            var error = await Assert.ThrowsAsync<PcpException>(() => ReplayAsync("pcp-map-tcp-third-party.bin", Nonce, 18302, c => c.MapAsync(PortMappingProtocol.TCP, 18302, 18302, TimeSpan.FromHours(1), Nonce, null, options, CancellationToken.None)));

            Assert.Equal("PcpUnsupportedOption", error.ErrorId);
            Assert.Equal((byte)PcpOptionCode.ThirdParty, Parse("pcp-map-tcp-third-party.bin").Options.Single().Code);
        }

        [Fact]
        public void AnUnknownVersionIsAnsweredWithVersionTwoAndUnsupportedVersion()
        {
            var answer = Parse("pcp-unsupported-version.bin");

            Assert.True(answer.IsUnsupportedVersion);
            Assert.Equal(PcpEncoder.Version, answer.Version);
            Assert.Equal(24, NatPmpFixtureTests.Read("pcp-unsupported-version.bin").Length);
        }

        [Fact]
        public void AnUnknownOpcodeIsUnsupportedOpcodeInTheHeaderAlone()
        {
            var bytes = NatPmpFixtureTests.Read("pcp-unsupported-opcode.bin");

            // Opcode 5 is none RFC 6887 defines, so the parser cannot read on; the client ignores it (it asked another opcode).
            Assert.Equal(PcpResultCode.UnsupportedOpcode, (PcpResultCode)bytes[3]);
            Assert.Equal("PcpMalformedResponse", Assert.Throws<PcpException>(() => PcpResponse.Parse(bytes, 0, bytes.Length)).ErrorId);
        }

        private static PcpResponse Parse(string name)
        {
            var bytes = NatPmpFixtureTests.Read(name);
            return PcpResponse.Parse(bytes, 0, bytes.Length);
        }

        private static async Task<PcpMapAnswer> ReplayAsync(string name, PcpNonce nonce, int internalPort, Func<PcpClient, Task<PcpMapAnswer>> call)
        {
            Assert.Equal(nonce, Parse(name).Nonce);
            Assert.Equal(internalPort, Parse(name).InternalPort);
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(NatPmpFixtureTests.Read(name)) });
            return await call(new PcpClient(IPAddress.Loopback, TimeSpan.FromSeconds(10), null, null, IPAddress.Loopback, server.EndPoint.Port));
        }
    }
}
