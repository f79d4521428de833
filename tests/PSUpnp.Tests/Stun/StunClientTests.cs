using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Nat;
using PSUpnp.Stun;
using PSUpnp.Tests.Discovery;
using Xunit;

namespace PSUpnp.Tests.Stun
{
    public class StunClientTests
    {
        private static readonly StunRetransmissionPolicy Short = new StunRetransmissionPolicy(TimeSpan.FromMilliseconds(30), 4, 3);

        [Fact]
        public async Task ASilentServerReceivesExactlyRcCopiesOfTheRequest()
        {
            using var server = new FakeStunServer { Blocked = true };
            using var client = new StunClient(new IPEndPoint(IPAddress.Loopback, 0));

            var result = await client.SendAsync(Binding(), server.Primary, Short, CancellationToken.None);

            Assert.False(result.Answered);
            Assert.Equal(4, result.Transmissions);
            Assert.Equal(4, server.ReceivedCount);
            Assert.Single(server.Requests.Select(r => r.Request.TransactionId).Distinct());
        }

        [Fact]
        public async Task ARetransmittedRequestIsAnsweredAndGivesNoRoundTripSample()
        {
            using var server = new FakeStunServer(FakeStunServer.NatMapping.Direct, FakeStunServer.NatFiltering.None) { DropRequest = (n, _) => n <= 2 };
            using var client = new StunClient(new IPEndPoint(IPAddress.Loopback, 0));

            // A roomy RTO so that a busy test host cannot make the answer to the third copy miss its wait.
            var result = await client.SendAsync(Binding(), server.Primary, new StunRetransmissionPolicy(TimeSpan.FromMilliseconds(250), 5, 4, TimeSpan.FromMilliseconds(250)), CancellationToken.None);

            Assert.True(result.Answered);
            Assert.Equal(3, result.Transmissions);
            Assert.Null(result.RoundTripTime);
            Assert.Equal(client.LocalEndPoint, result.Response!.XorMappedAddress);
            Assert.Equal(server.Primary, result.ResponseSource);
        }

        [Fact]
        public async Task ForgedStrayTruncatedAndMisdirectedAnswersAreIgnoredAndTraced()
        {
            var forged = new IPEndPoint(IPAddress.Parse("6.6.6.6"), 666);
            using var server = new FakeStunServer(FakeStunServer.NatMapping.Direct, FakeStunServer.NatFiltering.None)
            {
                BeforeAnswer = (request, client, send) =>
                {
                    var lie = new StunMessage(StunMessageClass.SuccessResponse, StunMethod.Binding, request.TransactionId, new[] { StunAttribute.XorMappedAddress(forged, request.TransactionId) }).Encode(true);
                    var otherId = StunTransactionId.NewId();
                    send(new StunMessage(StunMessageClass.SuccessResponse, StunMethod.Binding, otherId, new[] { StunAttribute.XorMappedAddress(forged, otherId) }).Encode(true), null);
                    send(lie.Take(lie.Length - 4).ToArray(), null);
                    var badFingerprint = (byte[])lie.Clone();
                    badFingerprint[badFingerprint.Length - 1] ^= 0xFF;
                    send(badFingerprint, null);
                    send(lie, new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                },
            };
            var trace = new ListTrace();
            using var client = new StunClient(new IPEndPoint(IPAddress.Loopback, 0), trace);

            var result = await client.SendAsync(Binding(), server.Primary, Short, CancellationToken.None);

            Assert.True(result.Answered);
            Assert.Equal(client.LocalEndPoint, result.Response!.XorMappedAddress);
            Assert.Equal(server.Primary, result.ResponseSource);
            var ignored = trace.Lines.Where(l => l.Contains("ignored", StringComparison.Ordinal)).ToList();
            Assert.Equal(4, ignored.Count);
            Assert.Contains(ignored, l => l.Contains("no such transaction", StringComparison.Ordinal));
            Assert.Contains(ignored, l => l.Contains("malformed", StringComparison.Ordinal));
            Assert.Contains(ignored, l => l.Contains("FINGERPRINT", StringComparison.Ordinal));
            Assert.Contains(ignored, l => l.Contains("expects " + server.Primary, StringComparison.Ordinal));
        }

        [Fact]
        public async Task AnswersOnlyFromAnUnexpectedAddressMeanNoAnswer()
        {
            using var server = new FakeStunServer(FakeStunServer.NatMapping.Direct, FakeStunServer.NatFiltering.None);
            using var client = new StunClient(new IPEndPoint(IPAddress.Loopback, 0));
            var expected = new IPEndPoint(IPAddress.Parse("127.0.0.2"), server.Primary.Port);

            // The server answers every copy, but from its primary address, which this transaction does not accept.
            var result = await client.SendAsync(Binding(), server.Primary, new[] { expected }, false, Short, CancellationToken.None);

            Assert.False(result.Answered);
            Assert.Equal(Short.MaxTransmissions, result.Transmissions);
            Assert.Equal(Short.MaxTransmissions, server.ReceivedCount);
        }

        [Fact]
        public async Task ManyTransactionsInFlightOnOneSocketAreToldApartByTransactionId()
        {
            using var server = new FakeStunServer(FakeStunServer.NatMapping.Direct, FakeStunServer.NatFiltering.None);
            using var client = new StunClient(new IPEndPoint(IPAddress.Loopback, 0));
            var requests = Enumerable.Range(0, 20).Select(_ => Binding()).ToList();

            var results = await Task.WhenAll(requests.Select(r => client.SendAsync(r, server.Primary, Short, CancellationToken.None)));

            Assert.Equal(20, results.Length);
            Assert.All(results, r => Assert.Equal(r.Request.TransactionId, r.Response!.TransactionId));
        }

        [Fact]
        public async Task CancellingATransactionThrowsAndStopsItsRetransmissions()
        {
            using var server = new FakeStunServer { Blocked = true };
            using var client = new StunClient(new IPEndPoint(IPAddress.Loopback, 0));
            using var cts = new CancellationTokenSource();
            server.Received += n => cts.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(Binding(), server.Primary, StunRetransmissionPolicy.Rfc8489, cts.Token));

            Assert.Equal(1, server.ReceivedCount);
        }

        [Fact]
        public async Task DisposingTheClientEndsTransactionsInFlight()
        {
            using var server = new FakeStunServer { Blocked = true };
            var client = new StunClient(new IPEndPoint(IPAddress.Loopback, 0));
            server.Received += n => client.Dispose();

            await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SendAsync(Binding(), server.Primary, StunRetransmissionPolicy.Rfc8489, CancellationToken.None));
        }

        [Fact]
        public void BindingAPortInUseIsATypedError()
        {
            using var first = new StunClient(new IPEndPoint(IPAddress.Loopback, 0));

            var error = Assert.Throws<StunException>(() => new StunClient(first.LocalEndPoint));

            Assert.Equal(UpnpErrors.StunSocketFailed.Id, error.ErrorId);
        }

        [Fact]
        public void Rfc8489DefaultScheduleWaits39Point5Seconds()
        {
            var waits = StunRetransmissionPolicy.Rfc8489.Waits.Select(w => w.TotalMilliseconds).ToArray();

            Assert.Equal(new double[] { 500, 1000, 2000, 4000, 8000, 16000, 8000 }, waits);
            Assert.Equal(TimeSpan.FromMilliseconds(39500), StunRetransmissionPolicy.Rfc8489.TotalDuration);
        }

        [Fact]
        public void DiscoveryScheduleSendsEightCopiesAndIsSilentAfter1300Ms()
        {
            var policy = StunRetransmissionPolicy.NatDiscovery;

            Assert.Equal(new double[] { 50, 100, 200, 200, 200, 200, 200, 150 }, policy.Waits.Select(w => w.TotalMilliseconds).ToArray());
            Assert.Equal(TimeSpan.FromMilliseconds(1300), policy.TotalDuration);
        }

        [Fact]
        public void AMeasuredRoundTripShortensTheScheduleWithAFloor()
        {
            var fast = StunRetransmissionPolicy.NatDiscovery.AdaptedTo(TimeSpan.FromMilliseconds(0.2));
            var slow = StunRetransmissionPolicy.NatDiscovery.AdaptedTo(TimeSpan.FromMilliseconds(40));

            Assert.Equal(StunRetransmissionPolicy.MinimumAdaptedRto, fast.InitialRto);
            Assert.Equal(TimeSpan.FromMilliseconds(80), fast.MaxRto);
            Assert.Equal(8, fast.MaxTransmissions);
            Assert.Equal(TimeSpan.FromMilliseconds(120), slow.InitialRto);
        }

        [Fact]
        public void ScalingKeepsTheShapeAndHitsTheTimeout()
        {
            var scaled = StunRetransmissionPolicy.NatDiscovery.ScaledTo(TimeSpan.FromMilliseconds(2600));

            Assert.Equal(TimeSpan.FromMilliseconds(2600), scaled.TotalDuration);
            Assert.Equal(TimeSpan.FromMilliseconds(100), scaled.InitialRto);
            Assert.Equal(8, scaled.MaxTransmissions);
        }

        [Theory]
        [InlineData("stun.example.org", "stun.example.org", 3478)]
        [InlineData("stun.example.org:19302", "stun.example.org", 19302)]
        [InlineData("stun:192.0.2.1:3479", "192.0.2.1", 3479)]
        [InlineData("[2001:db8::1]:5000", "2001:db8::1", 5000)]
        [InlineData("2001:db8::1", "2001:db8::1", 3478)]
        public void ParsesServerNames(string text, string host, int port)
        {
            var server = StunServerAddress.Parse(text);

            Assert.Equal(host, server.Host);
            Assert.Equal(port, server.Port);
        }

        [Theory]
        [InlineData("")]
        [InlineData("host:0")]
        [InlineData("host:65536")]
        [InlineData("host:x")]
        [InlineData("[2001:db8::1")]
        [InlineData("a:b:c")]
        public void RejectsServerNamesThatAreNotHostPort(string text)
        {
            var error = Assert.Throws<StunException>(() => StunServerAddress.Parse(text));

            Assert.Equal(UpnpErrors.StunInvalidServer.Id, error.ErrorId);
            Assert.Equal(UpnpErrorCategory.InvalidArgument, error.Category);
        }

        private static StunMessage Binding() => new StunMessage(StunMessageClass.Request, StunMethod.Binding, StunTransactionId.NewId());
    }
}
