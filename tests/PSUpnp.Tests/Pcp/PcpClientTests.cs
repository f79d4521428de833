using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Pcp;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Fakes;
using Xunit;
using static PSUpnp.Tests.Pcp.PcpCodecTests;
using static PSUpnp.Tests.Stun.StunMessageTests;

namespace PSUpnp.Tests.Pcp
{
    /// <summary>
    /// PcpClient against a scripted loopback server, for what miniupnpd will not do on request (PcpLabTests prove the
    /// rest against it): answers that do not echo the request, from elsewhere or malformed, silence before an answer,
    /// version negotiation down to NAT-PMP, refusals, an epoch gone back.
    /// </summary>
    public sealed class PcpClientTests
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

        [Fact]
        public async Task TheRequestNamesTheSendersAddressIPv4MappedAndAnyIPv4AsTheExternalWish()
        {
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Hex(MapAnswer("00"))) });

            var answer = await Client(server).MapAsync(PortMappingProtocol.TCP, 8080, 8080, TimeSpan.FromHours(1), Nonce, CancellationToken.None);

            Assert.Equal("02010000" + "00000e10" + "00000000000000000000ffff7f000001" + NonceHex + "06000000" + "1f90" + "1f90" + "00000000000000000000ffff00000000", ToHex(server.Requests.Single()));
            Assert.Equal(IPAddress.Loopback, answer.InternalAddress);
            Assert.Equal(IPAddress.Parse("11.11.0.1"), answer.ExternalAddress);
            Assert.Equal(8080, answer.ExternalPort);
            Assert.Equal(TimeSpan.FromHours(1), answer.Lifetime);
            Assert.Equal(100u, answer.Epoch);
            Assert.Equal(Nonce, answer.Nonce);
        }

        [Theory]
        [InlineData("0a0b0c0d0e0f101112131415", "06", "1f90", "does not echo the request's nonce")]
        [InlineData(NonceHex, "11", "1f90", "answers protocol 17 port 8080, not protocol 6 port 8080")]
        [InlineData(NonceHex, "06", "0050", "answers protocol 6 port 80, not protocol 6 port 8080")]
        public async Task AnAnswerThatDoesNotEchoTheRequestIsIgnoredAndTracedAndTheEchoingOneCounts(string nonce, string protocol, string internalPort, string reason)
        {
            var forged = MapAnswer("00").Replace(NonceHex + "06000000" + "1f90", nonce + protocol + "000000" + internalPort, StringComparison.Ordinal);
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Hex(forged)), UdpReply.Answer(Hex(MapAnswer("00"))) });
            var trace = new ListTrace();

            var answer = await Client(server, trace).MapAsync(PortMappingProtocol.TCP, 8080, 8080, TimeSpan.FromHours(1), Nonce, CancellationToken.None);

            Assert.Equal(Nonce, answer.Nonce);
            Assert.True(trace.Any(reason), string.Join("\n", trace.Lines));
        }

        [Fact]
        public async Task AnAnswerFromAnotherPortOrMalformedIsIgnoredAndTraced()
        {
            using var server = new ScriptedUdpServer((request, copy) => new[]
            {
                UdpReply.FromElsewhere(Hex(MapAnswer("02"))),
                UdpReply.Answer(Hex("0281000000000e10")),
                UdpReply.Answer(Hex(MapAnswer("00"))),
            });
            var trace = new ListTrace();

            await Client(server, trace).MapAsync(PortMappingProtocol.TCP, 8080, 8080, TimeSpan.FromHours(1), Nonce, CancellationToken.None);

            Assert.True(trace.Any("ignored: not from the server"), string.Join("\n", trace.Lines));
            Assert.True(trace.Any("ignored: The PCP answer is malformed: 8 bytes"), string.Join("\n", trace.Lines));
        }

        [Fact]
        public async Task ASilentServerGetsTheSameRequestAgainAfterAboutThreeSecondsAndItsAnswerCounts()
        {
            using var server = new ScriptedUdpServer((request, copy) => copy == 1 ? Array.Empty<UdpReply>() : new[] { UdpReply.Answer(Hex(MapAnswer("00"))) });
            var trace = new ListTrace();

            await Client(server, trace).MapAsync(PortMappingProtocol.TCP, 8080, 8080, TimeSpan.FromHours(1), Nonce, CancellationToken.None);

            Assert.Equal(2, server.Requests.Count);
            Assert.Equal(ToHex(server.Requests[0]), ToHex(server.Requests[1]));
            Assert.True(trace.Any("after 2 copies"), string.Join("\n", trace.Lines));
        }

        [Fact]
        public async Task SilenceUntilTheTimeoutIsThePcpTimeoutError()
        {
            using var server = new ScriptedUdpServer((request, copy) => Array.Empty<UdpReply>());

            var error = await Assert.ThrowsAsync<UpnpTimeoutException>(() => Client(server, timeout: TimeSpan.FromSeconds(1)).AnnounceAsync(CancellationToken.None));

            Assert.Equal("PcpTimeout", error.ErrorId);
            Assert.Single(server.Requests);
        }

        [Fact]
        public Task CancellationEndsTheWaitAtOnce() =>
            ScriptedUdpServer.AssertCancellationEndsTheWaitAsync((server, ct) => Client(server, timeout: TimeSpan.FromMinutes(10)).AnnounceAsync(ct));

        [Theory]
        [InlineData("01800001" + "00000000" + "00000010" + "000000000000000000000000", 1, false)]  // a PCP version 1 server
        [InlineData("0080000100000010", 0, true)]                                                // a NAT-PMP server (RFC 6887 section 9)
        public async Task AnUnsupportedVersionAnswerIsItsOwnErrorSayingWhetherToFallBackToNatPmp(string hex, int version, bool natPmp)
        {
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Hex(hex)) });

            var error = await Assert.ThrowsAsync<PcpUnsupportedVersionException>(() => Client(server).MapAsync(PortMappingProtocol.UDP, 53, 53, TimeSpan.FromMinutes(1), Nonce, CancellationToken.None));

            Assert.Equal("PcpUnsupportedVersion", error.ErrorId);
            Assert.Equal(version, error.ServerVersion);
            Assert.Equal(natPmp, error.SpeaksNatPmp);
        }

        [Fact]
        public async Task ARefusalIsTheErrorOfItsResultCodeWithTheLifetimeTheServerGaveIt()
        {
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Hex(MapAnswer("02"))) });

            var error = await Assert.ThrowsAsync<PcpException>(() => Client(server).MapAsync(PortMappingProtocol.TCP, 8080, 8080, TimeSpan.FromHours(1), Nonce, CancellationToken.None));

            Assert.Equal("PcpNotAuthorized", error.ErrorId);
            Assert.Equal(2, error.ResultCode);
            Assert.Equal(TimeSpan.FromSeconds(3600), error.Lifetime);
        }

        [Fact]
        public async Task ADeletionSendsLifetimeZeroWithTheMappingsNonce()
        {
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Hex(MapAnswer("00").Replace("00000e10", "00000000", StringComparison.Ordinal))) });

            var answer = await Client(server).DeleteAsync(PortMappingProtocol.TCP, 8080, Nonce, CancellationToken.None);

            var sent = ToHex(server.Requests.Single());
            Assert.Equal("0201000000000000", sent.Substring(0, 16));
            Assert.Equal(NonceHex, sent.Substring(48, 24));
            Assert.Equal(TimeSpan.Zero, answer.Lifetime);
        }

        [Fact]
        public async Task AThirdPartyMappingIsForTheAddressTheOptionNames()
        {
            var lan2 = IPAddress.Parse("192.168.77.20");
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Hex(MapAnswer("00") + "01000010" + "00000000000000000000ffffc0a84d14")) });

            var answer = await Client(server).MapAsync(PortMappingProtocol.TCP, 8080, 8080, TimeSpan.FromHours(1), Nonce, null, new[] { PcpOption.ThirdParty(lan2) }, CancellationToken.None);

            Assert.Equal(lan2, answer.InternalAddress);
            Assert.Equal((byte)PcpOptionCode.ThirdParty, answer.Options.Single().Code);
            Assert.Equal(60 + 4 + 16, server.Requests.Single().Length);
        }

        [Fact]
        public async Task AnEpochThatGoesBackBetweenTwoAnswersSaysTheServerLostItsMappings()
        {
            var epochs = new Queue<string>(new[] { "00100000", "00000002" });
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Hex("02800000" + "00000000" + epochs.Dequeue() + Zeros(12))) });
            var clock = new FakeClock();
            var client = Client(server, clock: clock);

            var before = await client.AnnounceAsync(CancellationToken.None);
            clock.UtcNow += TimeSpan.FromSeconds(5);
            var after = await client.AnnounceAsync(CancellationToken.None);

            Assert.True(PcpEpoch.MappingsLost(before.Epoch, before.ReceivedAt, after.Epoch, after.ReceivedAt));
        }

        private static PcpClient Client(ScriptedUdpServer server, ListTrace? trace = null, TimeSpan? timeout = null, FakeClock? clock = null) =>
            new PcpClient(IPAddress.Loopback, timeout ?? Timeout, trace, clock, IPAddress.Loopback, server.EndPoint.Port, new Random(6887));
    }
}
