using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Stun;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Stun;
using Xunit;

namespace PSUpnp.Tests.Reliability
{
    /// <summary>
    /// Forged STUN answers beyond those of StunClientTests (wrong transaction ID, wrong address, truncated, bad
    /// FINGERPRINT): the right transaction ID in a message that is no answer, an RFC 3489 copy without the magic cookie,
    /// and the right answer from the server's own other port. Each is ignored and traced; the real answer is the one
    /// trusted, and a transaction that gets only forgeries ends unanswered.
    /// </summary>
    [Trait("Category", "Reliability")]
    public sealed class ForgedStunTests
    {
        // A roomy RTO, so that a busy test host does not make the client send a second copy (and draw a second round of forgeries).
        private static readonly StunRetransmissionPolicy Short = new StunRetransmissionPolicy(TimeSpan.FromMilliseconds(500), 3, 2);
        private static readonly IPEndPoint Forged = new IPEndPoint(IPAddress.Parse("6.6.6.6"), 666);

        [Fact]
        public async Task TheRightTransactionIdInWhatIsNoTrueAnswerIsIgnoredAndTraced()
        {
            using var server = new FakeStunServer(FakeStunServer.NatMapping.Direct, FakeStunServer.NatFiltering.None)
            {
                BeforeAnswer = (request, client, send) =>
                {
                    foreach (var forgery in Forgeries(request))
                    {
                        send(forgery, null);
                    }

                    // The right answer, from the server's own address but another of its ports.
                    send(Lie(request).Encode(true), new IPEndPoint(IPAddress.Loopback, 0));
                },
            };
            var trace = new ListTrace();
            using var client = new StunClient(new IPEndPoint(IPAddress.Loopback, 0), trace);

            // One copy only: a retransmission on a loaded machine would bring a second set of forgeries to count.
            var oneCopy = new StunRetransmissionPolicy(TimeSpan.FromSeconds(10), 1, 1);
            var result = await client.SendAsync(Binding(), server.Primary, oneCopy, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.True(result.Answered);
            Assert.Equal(client.LocalEndPoint, result.Response!.XorMappedAddress);
            Assert.Equal(server.Primary, result.ResponseSource);
            var ignored = trace.Lines.Where(l => l.Contains("ignored", StringComparison.Ordinal)).ToList();
            Assert.Equal(4, ignored.Count);
            Assert.Equal(2, ignored.Count(l => l.Contains("not an answer", StringComparison.Ordinal)));
            Assert.Single(ignored, l => l.Contains("no such transaction", StringComparison.Ordinal));
            Assert.Single(ignored, l => l.Contains("expects " + server.Primary, StringComparison.Ordinal));
        }

        [Fact]
        public async Task ATransactionThatGetsOnlyForgeriesEndsUnanswered()
        {
            using var server = new FakeStunServer { Blocked = true };
            using var client = new StunClient(new IPEndPoint(IPAddress.Loopback, 0));

            // The server never answers; a forger who knows the transaction ID sends lies of every kind.
            var request = Binding();
            var transaction = client.SendAsync(request, server.Primary, Short, CancellationToken.None);
            using (var raw = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
            {
                foreach (var forgery in Forgeries(request).Append(Lie(request).Encode(true)))
                {
                    await raw.SendAsync(forgery, forgery.Length, client.LocalEndPoint);
                }
            }

            var result = await transaction.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.False(result.Answered);
            Assert.Null(result.Response);
        }

        private static StunMessage Binding() => new StunMessage(StunMessageClass.Request, StunMethod.Binding, StunTransactionId.NewId());

        private static StunMessage Lie(StunMessage request) =>
            new StunMessage(StunMessageClass.SuccessResponse, StunMethod.Binding, request.TransactionId, new[] { StunAttribute.XorMappedAddress(Forged, request.TransactionId) });

        // The right transaction ID as an indication and as a request, and an RFC 3489 copy (cookie overwritten).
        private static byte[][] Forgeries(StunMessage request)
        {
            var attributes = new[] { StunAttribute.XorMappedAddress(Forged, request.TransactionId) };
            var noCookie = Lie(request).Encode(false);
            noCookie[4] ^= 0xFF;
            return new[]
            {
                new StunMessage(StunMessageClass.Indication, StunMethod.Binding, request.TransactionId, attributes).Encode(true),
                new StunMessage(StunMessageClass.Request, StunMethod.Binding, request.TransactionId, attributes).Encode(true),
                noCookie,
            };
        }
    }
}
