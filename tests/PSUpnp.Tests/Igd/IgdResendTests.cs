using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Net;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>
    /// IgdClient when a request or its answer is lost on the way (the fake router acts, then the connection dies or goes
    /// silent): every action ends as if nothing had been lost, and a resent add or delete never turns into an error
    /// against our own first copy. Renewal: a vanished mapping is reported, a failed renewal removes nothing.
    /// </summary>
    public sealed class IgdResendTests : IDisposable
    {
        // Resends after 150 ms of silence so that a lost answer costs the test little; the bound only fails a hung test.
        private static readonly HttpLimits Limits = new HttpLimits(
            TimeSpan.FromSeconds(10), 64 * 1024, retry: new HttpRetryPolicy(TimeSpan.FromMilliseconds(100), 8, TimeSpan.FromMilliseconds(150), 3));

        private readonly List<FakeIgdServer> _servers = new List<FakeIgdServer>();
        private readonly ListTrace _trace = new ListTrace();

        public void Dispose()
        {
            foreach (var s in _servers)
            {
                s.Dispose();
            }
        }

        private FakeIgdServer Server(int version = 1)
        {
            var s = new FakeIgdServer(version);
            _servers.Add(s);
            return s;
        }

        private IgdClient Client(FakeIgdServer server) => new IgdClient(server.Gateway, _trace, new FakeClock(), Limits);

        private static PortMappingRequest Request(int port = 8080, bool renewal = false) => new PortMappingRequest
        {
            ExternalPort = port,
            Description = "resend",
            LeaseDuration = TimeSpan.FromHours(1),
            IsRenewal = renewal,
        };

        // The first call of that action is lost as given; every other call is answered normally.
        private static Func<FakeCall, FakeReply?> LoseFirst(string action, FakeLoss loss)
        {
            var lost = 0;
            return call => call.Action == action && Interlocked.Exchange(ref lost, 1) == 0 ? FakeReply.Lost(loss) : null;
        }

        [Theory]
        [InlineData(FakeLoss.Request)]
        [InlineData(FakeLoss.Answer)]
        [InlineData(FakeLoss.AnswerSilently)]
        public async Task AnAddWhoseRequestOrAnswerWasLostIsSentAgainAndEndsAsOneCreatedMapping(FakeLoss loss)
        {
            var server = Server();
            server.Script = LoseFirst("AddPortMapping", loss);

            var result = await Client(server).AddPortMappingAsync(Request(), CancellationToken.None);

            Assert.Equal(PortMappingChange.Created, result.Change);
            Assert.Equal(2, server.CallCount("AddPortMapping"));
            var held = Assert.Single(server.Table);
            Assert.Equal(FakeIgdServer.LocalAddress.ToString(), held.InternalClient);
            Assert.Equal(3600, held.Lease);
            Assert.Contains(_trace.Lines, l => l.Contains("HTTP POST", StringComparison.Ordinal) && l.Contains("sending the request again", StringComparison.Ordinal));
            Assert.Contains(_trace.Lines, l => l.StartsWith("SOAP AddPortMapping", StringComparison.Ordinal) && l.Contains("after 2 sends", StringComparison.Ordinal));
        }

        [Fact]
        public async Task AnAddResentToARouterThatRefusesReAddsWith718IsOurOwnFirstCopyNotAConflict()
        {
            var server = Server();
            server.RefuseRenewalWith718 = true;
            server.Script = LoseFirst("AddPortMapping", FakeLoss.Answer);

            var result = await Client(server).AddPortMappingAsync(Request(), CancellationToken.None);

            Assert.Equal(PortMappingChange.Created, result.Change);
            Assert.Equal(2, server.CallCount("AddPortMapping"));
            Assert.Equal(0, server.CallCount("DeletePortMapping"));
            Assert.Single(server.Table);
            Assert.Contains(_trace.Lines, l => l.Contains("the first copy was applied", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A718AfterAResendIsStillAConflictWhenAnotherClientHoldsThePort()
        {
            var server = Server();
            var lost = 0;
            server.Script = call =>
            {
                // The first add is lost before the router acts; meanwhile another client takes the port.
                if (call.Action == "AddPortMapping" && Interlocked.Exchange(ref lost, 1) == 0)
                {
                    server.Add(new FakeMapping(string.Empty, 8080, "TCP", 9000, "192.168.1.99", true, "someone else", 0));
                    return FakeReply.Lost(FakeLoss.Request);
                }

                return null;
            };

            var ex = await Assert.ThrowsAsync<UpnpMappingConflictException>(() => Client(server).AddPortMappingAsync(Request(), CancellationToken.None));

            Assert.Contains("192.168.1.99", ex.Message, StringComparison.Ordinal);
            Assert.Equal("192.168.1.99", Assert.Single(server.Table).InternalClient);
        }

        [Theory]
        [InlineData(FakeLoss.Answer)]
        [InlineData(FakeLoss.AnswerSilently)]
        public async Task ADeleteWhoseAnswerWasLostSucceedsWhenTheCopySentAgainFindsNothingLeft(FakeLoss loss)
        {
            var server = Server();
            server.Add(new FakeMapping(string.Empty, 8080, "TCP", 8080, FakeIgdServer.LocalAddress.ToString(), true, "mine", 3600));
            server.Script = LoseFirst("DeletePortMapping", loss);

            await Client(server).DeletePortMappingAsync(null, 8080, PortMappingProtocol.TCP, CancellationToken.None);

            Assert.Equal(2, server.CallCount("DeletePortMapping"));
            Assert.Empty(server.Table);
            Assert.Contains(_trace.Lines, l => l.Contains("the first copy removed it", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A714ToADeleteSentOnceIsStillAnError()
        {
            var server = Server();

            var ex = await Assert.ThrowsAsync<UpnpFaultException>(() => Client(server).DeletePortMappingAsync(null, 8080, PortMappingProtocol.TCP, CancellationToken.None));

            Assert.Equal(714, ex.ErrorCode);
            Assert.False(ex.RequestWasResent);
        }

        [Fact]
        public async Task ReadsSurviveALostAnswer()
        {
            var server = Server(2);
            server.Add(new FakeMapping(string.Empty, 8080, "TCP", 8080, FakeIgdServer.LocalAddress.ToString(), true, "mine", 3600));
            var lost = new HashSet<string>();
            server.Script = call =>
            {
                lock (lost)
                {
                    return lost.Add(call.Action) ? FakeReply.Lost(FakeLoss.Answer) : null;
                }
            };
            var client = Client(server);

            var address = await client.GetExternalAddressAsync(CancellationToken.None);
            var listed = await client.GetPortMappingsAsync(null, CancellationToken.None);
            var specific = await client.GetSpecificPortMappingAsync(null, 8080, PortMappingProtocol.TCP, CancellationToken.None);

            Assert.Equal("203.0.113.7", address.ExternalAddress!.ToString());
            Assert.Equal("Connected", address.ConnectionStatus);
            Assert.Equal(8080, Assert.Single(listed).ExternalPort);
            Assert.NotNull(specific);
            Assert.Equal(2, server.CallCount("GetExternalIPAddress"));
            Assert.Equal(2, server.CallCount("GetStatusInfo"));
            Assert.Equal(2, server.CallCount("GetSpecificPortMappingEntry"));
        }

        // ---- renewal

        [Fact]
        public async Task ARenewalThatFindsTheMappingGoneCreatesItAgainAndSaysItHadVanished()
        {
            var server = Server();
            var client = Client(server);
            var first = await client.AddPortMappingAsync(Request(), CancellationToken.None);
            var renewed = await client.AddPortMappingAsync(Request(renewal: true), CancellationToken.None);

            // What a restarted router does: forget every mapping.
            server.Clear();
            var recreated = await client.AddPortMappingAsync(Request(renewal: true), CancellationToken.None);

            Assert.Equal(PortMappingChange.Renewed, renewed.Change);
            Assert.Empty(renewed.Warnings);
            Assert.Equal(PortMappingChange.Created, recreated.Change);
            var warning = Assert.Single(recreated.Warnings);
            Assert.Contains("no longer on the router", warning, StringComparison.Ordinal);
            Assert.Contains("created again", warning, StringComparison.Ordinal);
            Assert.Contains(_trace.Lines, l => l == warning);
            Assert.Single(server.Table);
            Assert.Equal(PortMappingChange.Created, first.Change);
            Assert.Empty(first.Warnings);
        }

        [Fact]
        public async Task AnAddThatIsNotARenewalCreatesWithoutWarning()
        {
            var server = Server();

            var result = await Client(server).AddPortMappingAsync(Request(), CancellationToken.None);

            Assert.Equal(PortMappingChange.Created, result.Change);
            Assert.Empty(result.Warnings);
        }

        public static IEnumerable<object[]> RenewalFailures()
        {
            yield return new object[] { "fault 501", (Func<FakeCall, FakeReply?>)(c => c.Action == "AddPortMapping" ? FakeReply.Fault(501) : null), "UpnpError501" };
            yield return new object[] { "HTTP 500 without a fault", (Func<FakeCall, FakeReply?>)(c => c.Action == "AddPortMapping" ? FakeReply.Raw(500, "Internal Server Error", "<html/>") : null), "UpnpHttpError500" };
            yield return new object[] { "every copy lost", (Func<FakeCall, FakeReply?>)(c => c.Action == "AddPortMapping" ? FakeReply.Lost(FakeLoss.Request) : null), "UpnpIncompleteResponse" };
            yield return new object[] { "the look lost", (Func<FakeCall, FakeReply?>)(c => c.Action == "GetSpecificPortMappingEntry" ? FakeReply.Lost(FakeLoss.Request) : null), "UpnpIncompleteResponse" };
            yield return new object[] { "garbage", (Func<FakeCall, FakeReply?>)(c => c.Action == "AddPortMapping" ? FakeReply.Malformed() : null), "UpnpMalformedResponse" };
        }

        [Theory]
        [MemberData(nameof(RenewalFailures))]
        public async Task ARenewalThatFailsNeverRemovesTheMappingItWasRenewing(string what, Func<FakeCall, FakeReply?> failure, string errorId)
        {
            var server = Server();
            var client = Client(server);
            await client.AddPortMappingAsync(Request(renewal: true), CancellationToken.None);
            var before = Assert.Single(server.Table);
            server.Script = failure;

            var ex = await Assert.ThrowsAnyAsync<UpnpException>(() => client.AddPortMappingAsync(Request(renewal: true), CancellationToken.None));

            Assert.True(errorId == ex.ErrorId, what + ": " + ex.ErrorId + " " + ex.Message);
            Assert.Equal(0, server.CallCount("DeletePortMapping"));
            Assert.Equal(before, Assert.Single(server.Table));
        }
    }
}
