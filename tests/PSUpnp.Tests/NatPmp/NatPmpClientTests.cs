using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.NatPmp;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Fakes;
using Xunit;
using static PSUpnp.Tests.Stun.StunMessageTests;

namespace PSUpnp.Tests.NatPmp
{
    /// <summary>
    /// NatPmpClient against a scripted loopback server, for what miniupnpd will not do on request (NatPmpLabTests
    /// prove the rest against it): stray and forged answers, silence before an answer, refusals, an epoch gone back.
    /// </summary>
    public sealed class NatPmpClientTests
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

        // TCP 8080 -> 8080 granted for 3600 s at epoch 500.
        private static readonly byte[] Granted = Hex("00820000" + "000001f4" + "1f90" + "1f90" + "00000e10");

        [Fact]
        public async Task AnAnswerFromAnotherPortIsIgnoredAndTracedAndTheGatewaysOwnAnswerCounts()
        {
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.FromElsewhere(Hex("00820000" + "00000001" + "1f90" + "0050" + "00000e10")), UdpReply.Answer(Granted) });
            var trace = new ListTrace();

            var answer = await Client(server, trace).MapAsync(PortMappingProtocol.TCP, 8080, 8080, TimeSpan.FromHours(1), CancellationToken.None);

            Assert.Equal(8080, answer.ExternalPort);
            Assert.Equal(500u, answer.Epoch);
            Assert.True(trace.Any("ignored: not from the gateway"), string.Join("\n", trace.Lines));
        }

        [Theory]
        [InlineData("00810000000001f41f901f9000000e10", "answers opcode 1, not 2")]   // UDP's answer to a TCP request
        [InlineData("00820000000001f40050005000000e10", "answers internal port 80, not 8080")]
        [InlineData("0082000000000001", "an answer to opcode 2 has 16")]              // success without its body
        [InlineData("0102000000000001", "version 1")]
        public async Task AForgedOrMalformedAnswerIsIgnoredAndTracedAndTheRightOneCounts(string forged, string reason)
        {
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Hex(forged)), UdpReply.Answer(Granted) });
            var trace = new ListTrace();

            var answer = await Client(server, trace).MapAsync(PortMappingProtocol.TCP, 8080, 8080, TimeSpan.FromHours(1), CancellationToken.None);

            Assert.Equal(TimeSpan.FromSeconds(3600), answer.Lifetime);
            Assert.True(trace.Any(reason), string.Join("\n", trace.Lines));
        }

        [Fact]
        public async Task ASilentGatewayGetsTheRequestAgainAndItsLaterAnswerCounts()
        {
            using var server = new ScriptedUdpServer((request, copy) => copy < 3 ? Array.Empty<UdpReply>() : new[] { UdpReply.Answer(Granted) });

            var answer = await Client(server).MapAsync(PortMappingProtocol.TCP, 8080, 8080, TimeSpan.FromHours(1), CancellationToken.None);

            Assert.Equal(8080, answer.ExternalPort);
            Assert.Equal(3, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.Equal("000200001f901f9000000e10", ToHex(r)));
        }

        [Fact]
        public void TheScheduleIsRfc6886s250MillisecondsDoublingForNineCopies() =>
            Assert.Equal(new[] { 250, 500, 1000, 2000, 4000, 8000, 16000, 32000, 64000 }, NatPmpClient.Rfc6886Waits.Select(w => (int)w.TotalMilliseconds));

        [Fact]
        public async Task SilenceUntilTheTimeoutIsTheNatPmpTimeoutError()
        {
            using var server = new ScriptedUdpServer((request, copy) => Array.Empty<UdpReply>());

            var error = await Assert.ThrowsAsync<UpnpTimeoutException>(() => Client(server, timeout: TimeSpan.FromSeconds(1)).GetExternalAddressAsync(CancellationToken.None));

            Assert.Equal("NatPmpTimeout", error.ErrorId);
            Assert.Equal(TimeSpan.FromSeconds(1), error.Timeout);
            Assert.InRange(server.Requests.Count, 2, 3);
        }

        [Fact]
        public Task CancellationEndsTheWaitAtOnceWithoutTheTimeoutsError() =>
            ScriptedUdpServer.AssertCancellationEndsTheWaitAsync((server, ct) => Client(server, timeout: TimeSpan.FromMinutes(10)).GetExternalAddressAsync(ct));

        [Theory]
        [InlineData("0082000200000001", "NatPmpNotAuthorized", 2)]
        [InlineData("00820004" + "00000001" + "1f90" + "0000" + "00000000", "NatPmpOutOfResources", 4)]
        public async Task ARefusalIsTheErrorOfItsResultCode(string refusal, string errorId, int code)
        {
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Hex(refusal)) });

            var error = await Assert.ThrowsAsync<NatPmpException>(() => Client(server).MapAsync(PortMappingProtocol.TCP, 8080, 8080, TimeSpan.FromHours(1), CancellationToken.None));

            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(code, error.ResultCode);
        }

        [Fact]
        public async Task APcpOnlyRoutersUnsupportedVersionAnswerIsNatPmpUnsupportedVersion()
        {
            // RFC 6887 section 9: version 2, R bit and opcode 0, result 1 (UNSUPP_VERSION), lifetime, epoch, 12 reserved bytes.
            var pcp = Hex("02800001" + "00000e10" + "00000020" + new string('0', 24));
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(pcp) });

            var error = await Assert.ThrowsAsync<NatPmpException>(() => Client(server).GetExternalAddressAsync(CancellationToken.None));

            Assert.Equal("NatPmpUnsupportedVersion", error.ErrorId);
            Assert.Contains("does not speak NAT-PMP", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AnEpochThatGoesBackBetweenTwoAnswersSaysTheRouterLostItsMappings()
        {
            var epochs = new Queue<string>(new[] { "00100000", "00000003" });
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Hex("00800000" + epochs.Dequeue() + "0b0b0001")) });
            var clock = new FakeClock();
            var client = Client(server, clock: clock);

            var before = await client.GetExternalAddressAsync(CancellationToken.None);
            clock.UtcNow += TimeSpan.FromSeconds(30);
            var after = await client.GetExternalAddressAsync(CancellationToken.None);

            Assert.Equal(clock.UtcNow, after.ReceivedAt);
            Assert.True(NatPmpEpoch.MappingsLost(before.Epoch, before.ReceivedAt, after.Epoch, after.ReceivedAt));
        }

        [Fact]
        public async Task ADeletionSendsLifetimeZeroAndReportsWhatTheRouterConfirmed()
        {
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Hex("00810000" + "00000002" + "1f90" + "0000" + "00000000")) });

            var answer = await Client(server).DeleteAsync(PortMappingProtocol.UDP, 8080, CancellationToken.None);

            Assert.Equal("000100001f900000" + "00000000", ToHex(server.Requests.Single()));
            Assert.Equal(0, answer.ExternalPort);
            Assert.Equal(TimeSpan.Zero, answer.Lifetime);
        }

        [Theory]
        [InlineData(0, 80, 60)]
        [InlineData(80, 70000, 60)]
        [InlineData(80, 80, 0)]
        public async Task ABadPortOrLifetimeIsTheInvalidArgumentErrorAndNothingIsSent(int internalPort, int externalPort, int lifetimeSeconds)
        {
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Granted) });

            var error = await Assert.ThrowsAsync<UpnpException>(() => Client(server).MapAsync(PortMappingProtocol.TCP, internalPort, externalPort, TimeSpan.FromSeconds(lifetimeSeconds), CancellationToken.None));

            Assert.Equal("UpnpInvalidArgument", error.ErrorId);
            Assert.Empty(server.Requests);
        }

        private static NatPmpClient Client(ScriptedUdpServer server, ListTrace? trace = null, TimeSpan? timeout = null, FakeClock? clock = null) =>
            new NatPmpClient(IPAddress.Loopback, timeout ?? Timeout, trace, clock, IPAddress.Loopback, server.EndPoint.Port);
    }
}
