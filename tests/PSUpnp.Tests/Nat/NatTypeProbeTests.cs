using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Engine;
using PSUpnp.Igd;
using PSUpnp.Net;
using PSUpnp.Nat;
using PSUpnp.Stun;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Fakes;
using PSUpnp.Tests.Stun;
using Xunit;
using static PSUpnp.Tests.Stun.FakeStunServer;

namespace PSUpnp.Tests.Nat
{
    /// <summary>
    /// The STUN tests and the UPnP cross-check as one call: the loopback STUN server with its simulated NAT, and a
    /// loopback gateway (a description server pointing at the fake IGD control endpoint) read through -Location.
    /// </summary>
    public sealed class NatTypeProbeTests
    {
        private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(30);

        // Longer than the STUN tests' whole schedule and the gateway's bound: a part that waits this long has stalled.
        private static readonly TimeSpan Hold = TimeSpan.FromSeconds(10);

        [Fact]
        public async Task TheGatewayIsAskedWhileTheStunTestsRunNotBeforeOrAfterThem()
        {
            using var stunAsked = new ManualResetEventSlim();
            using var gatewayAsked = new ManualResetEventSlim();
            using var stun = new FakeStunServer();
            using var gateway = new LoopbackGateway();

            // Each side holds its answers until the other has been asked. Run one after the other, the first part
            // would stall: STUN would count test I as silent (UdpBlocked), or the gateway would miss its bound.
            stun.Received += _ =>
            {
                stunAsked.Set();
                gatewayAsked.Wait(Hold);
            };
            gateway.Igd.Script = _ =>
            {
                gatewayAsked.Set();
                stunAsked.Wait(Hold);
                return null;
            };

            var result = await Bounded(Probe(NatBehaviorDiscoveryTests.Options(stun), gateway.Search(TimeSpan.FromSeconds(5)), CancellationToken.None));

            Assert.Equal(NatType.PortRestrictedCone, result.NatType);
            Assert.Equal(IPAddress.Parse(gateway.Igd.ExternalAddress), result.GatewayExternalAddress);

            // The script holds the answer until STUN is asked; if that takes long on a loaded machine, the engine's
            // overlapping copy of the query (after 0.5 s) may arrive too. More than the policy's sends is a real fault.
            Assert.InRange(gateway.Igd.CallCount("GetExternalIPAddress"), 1, HttpRetryPolicy.Default.MaxSends);
        }

        [Theory]
        [InlineData("10.0.0.2", "is private")]
        [InlineData("100.64.1.2", "carrier-grade NAT")]
        [InlineData("203.0.113.7", "differs from the public address 127.0.0.3")]
        public async Task AGatewayBehindAnotherNatMakesTheResultSayDoubleNatInWords(string external, string words)
        {
            using var stun = new FakeStunServer();
            using var gateway = new LoopbackGateway();
            gateway.Igd.ExternalAddress = external;

            var result = await Bounded(Probe(NatBehaviorDiscoveryTests.Options(stun), gateway.Search(), CancellationToken.None));

            Assert.Equal(NatType.PortRestrictedCone, result.NatType);
            Assert.Equal(PublicIp, result.PublicEndpoint!.Address);
            Assert.Equal(IPAddress.Parse(external), result.GatewayExternalAddress);
            Assert.True(result.IsDoubleNat);
            Assert.StartsWith("Double NAT", result.DoubleNat, StringComparison.Ordinal);
            Assert.Contains(words, result.DoubleNat, StringComparison.Ordinal);
            Assert.Contains("will not help", result.Verdict, StringComparison.Ordinal);
        }

        [Fact]
        public async Task OnADirectPathAGatewayWithAnotherAddressIsNotCalledDoubleNat()
        {
            using var stun = new FakeStunServer(NatMapping.Direct, NatFiltering.None);
            using var gateway = new LoopbackGateway();

            var result = await Bounded(Probe(NatBehaviorDiscoveryTests.Options(stun), gateway.Search(), CancellationToken.None));

            Assert.Equal(NatType.OpenInternet, result.NatType);
            Assert.True(result.IsDirect);
            Assert.Equal(IPAddress.Parse(gateway.Igd.ExternalAddress), result.GatewayExternalAddress);
            Assert.False(result.IsDoubleNat);
            Assert.Contains("not on the path", result.DoubleNat, StringComparison.Ordinal);
        }

        [Fact]
        public async Task WithoutAGatewaySearchNoGatewayIsAskedAndTheCrossCheckIsLeftOut()
        {
            using var stun = new FakeStunServer();
            var trace = new ListTrace();
            var options = Options(stun, trace);

            var result = await Bounded(Probe(options, null, CancellationToken.None));

            Assert.Equal(NatType.PortRestrictedCone, result.NatType);
            Assert.Null(result.GatewayExternalAddress);
            Assert.Null(result.IsDoubleNat);
            Assert.Contains("No UPnP gateway answered", result.DoubleNat, StringComparison.Ordinal);
            Assert.False(trace.Any("UPnP cross-check"), string.Join("\n", trace.Lines));
        }

        [Theory]
        [InlineData(GatewayFailure.Fault, "UPnP cross-check skipped (UpnpError501)")]
        [InlineData(GatewayFailure.Refused, "UPnP cross-check skipped (")]
        [InlineData(GatewayFailure.Silent, "UPnP cross-check skipped")]
        public async Task AFailingOrAbsentGatewayOnlyOmitsTheCrossCheckAndSaysWhyInTheTrace(GatewayFailure failure, string traced)
        {
            using var stun = new FakeStunServer();
            using var gateway = new LoopbackGateway();
            using var silent = SilentServer();
            var search = failure switch
            {
                GatewayFailure.Refused => new GatewaySearch { Location = new Uri("http://127.0.0.1:" + ClosedPort() + "/rootDesc.xml"), Timeout = TimeSpan.FromSeconds(5) },
                GatewayFailure.Silent => new GatewaySearch { Location = silent.Url("/rootDesc.xml"), Timeout = TimeSpan.FromMilliseconds(300) },
                _ => gateway.Search(),
            };
            gateway.Igd.Script = _ => FakeReply.Fault(501);
            var trace = new ListTrace();
            var options = Options(stun, trace);

            var result = await Bounded(Probe(options, search, CancellationToken.None));

            Assert.Equal(NatType.PortRestrictedCone, result.NatType);
            Assert.Null(result.GatewayExternalAddress);
            Assert.Null(result.IsDoubleNat);
            Assert.True(trace.Any(traced), string.Join("\n", trace.Lines));
            Assert.Equal(failure == GatewayFailure.Fault ? 1 : 0, gateway.Igd.CallCount("GetExternalIPAddress"));
        }

        [Fact]
        public async Task AFailedNatTestStopsTheGatewayLookupAndReportsItsOwnError()
        {
            using var silent = SilentServer();
            var trace = new ListTrace();
            var options = new NatDiscoveryOptions { Servers = { "not:a:server" }, Trace = trace };
            var search = new GatewaySearch { Location = silent.Url("/rootDesc.xml"), Timeout = TimeSpan.FromMinutes(10) };

            var error = await Assert.ThrowsAsync<StunException>(() => Bounded(Probe(options, search, CancellationToken.None)));

            Assert.Equal(UpnpErrors.StunInvalidServer.Id, error.ErrorId);

            // Stopped, not run until the silent gateway's own timeout.
            Assert.True(trace.Any("UPnP cross-check stopped"), string.Join("\n", trace.Lines));
            Assert.False(trace.Any("UPnP cross-check skipped"), string.Join("\n", trace.Lines));
        }

        [Fact]
        public async Task CancellationStopsBothParts()
        {
            using var stun = new FakeStunServer { Blocked = true };
            using var silent = SilentServer();
            using var cts = new CancellationTokenSource();
            stun.Received += n =>
            {
                if (n == 1)
                {
                    cts.Cancel();
                }
            };
            var trace = new ListTrace();
            var options = Options(stun, trace);
            options.Retransmission = StunRetransmissionPolicy.Rfc8489;
            var search = new GatewaySearch { Location = silent.Url("/rootDesc.xml"), Timeout = TimeSpan.FromMinutes(10) };

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded(Probe(options, search, cts.Token)));

            // RFC 8489's second copy would leave 500 ms after the first; the run ended before it, the lookup with it.
            Assert.Equal(1, stun.ReceivedCount);
            Assert.True(trace.Any("UPnP cross-check stopped"), string.Join("\n", trace.Lines));
        }

        /// <summary>
        /// The cross-check goes through the session cache like every cmdlet: a remembered gateway that is gone (refuses,
        /// or stays silent past the bound) is forgotten, so the next run discovers again; one that answered, even with a
        /// fault, is still there and stays.
        /// </summary>
        [Theory]
        [InlineData(GatewayFailure.Refused, false)]
        [InlineData(GatewayFailure.Silent, false)]
        [InlineData(GatewayFailure.Fault, true)]
        public async Task ARememberedGatewayThatIsGoneLeavesTheSessionCacheAndOneThatAnsweredStays(GatewayFailure failure, bool kept)
        {
            using var stun = new FakeStunServer();
            using var igd = new FakeIgdServer(2);
            var cache = new GatewayCache();
            var g = igd.Gateway;
            var remembered = new UpnpGateway(g.FriendlyName, g.Manufacturer, g.ModelName, g.Udn, g.IgdVersion, g.ServiceType, g.ControlUrl, g.DescriptionUrl, null, g.LocalAddress, null, DateTimeOffset.UtcNow.AddMinutes(30));
            Assert.True(cache.Store("*", new[] { remembered }));
            switch (failure)
            {
                case GatewayFailure.Refused:
                    igd.Dispose();
                    break;
                case GatewayFailure.Silent:
                    igd.Script = _ => FakeReply.Slow(TimeSpan.FromSeconds(10));
                    break;
                default:
                    igd.Script = _ => FakeReply.Fault(501);
                    break;
            }

            var trace = new ListTrace();
            var seams = new DiscoverySeams { Cache = cache, Network = FakeNetwork.Loopback("127.0.0.1") };
            var search = new GatewaySearch { Timeout = failure == GatewayFailure.Silent ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(5) };

            var result = await Bounded(Probe(Options(stun, trace), search, CancellationToken.None, seams));

            Assert.Equal(NatType.PortRestrictedCone, result.NatType);
            Assert.Null(result.GatewayExternalAddress);
            Assert.True(trace.Any("using the gateway found earlier"), string.Join("\n", trace.Lines));
            Assert.Equal(kept ? 1 : 0, cache.Count);
            Assert.Equal(!kept, trace.Any("Forgot gateway"));
        }

        public enum GatewayFailure
        {
            Fault,
            Refused,
            Silent,
        }

        // The façade's NAT test with the cross-check's search given whole, as the lab and these tests need it.
        private static Task<NatTypeResult> Probe(NatDiscoveryOptions options, GatewaySearch? search, CancellationToken cancellationToken, DiscoverySeams? seams = null) =>
            new UpnpEngine(options.Trace, search?.Timeout ?? TimeSpan.FromSeconds(5), null, false, seams).TestNatTypeAsync(options, search, cancellationToken);

        // A port-restricted cone (the fake's default), traced.
        private static NatDiscoveryOptions Options(FakeStunServer stun, ListTrace trace)
        {
            var options = NatBehaviorDiscoveryTests.Options(stun);
            options.Trace = trace;
            return options;
        }

        private static LoopbackHttpServer SilentServer() =>
            new LoopbackHttpServer(async (_, _, ct) => await Task.Delay(Timeout.Infinite, ct));

        private static async Task<T> Bounded<T>(Task<T> task)
        {
            Assert.Same(task, await Task.WhenAny(task, Task.Delay(HangBound)));
            return await task;
        }

        private static int ClosedPort()
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        /// <summary>A gateway on loopback: its description (read through -Location) names the fake IGD's control URL.</summary>
        private sealed class LoopbackGateway : IDisposable
        {
            private readonly LoopbackHttpServer _description;

            public LoopbackGateway()
            {
                Igd = new FakeIgdServer(2);
                var xml = GatewayLocatorTests.Description()
                    .Replace("<controlURL>/ctl/IPConn</controlURL>", "<controlURL>" + Igd.Gateway.ControlUrl!.AbsoluteUri + "</controlURL>", StringComparison.Ordinal);
                _description = LoopbackHttpServer.Answering(LoopbackHttpServer.Response(200, "OK", "text/xml", Encoding.UTF8.GetBytes(xml)));
            }

            public FakeIgdServer Igd { get; }

            public GatewaySearch Search(TimeSpan? timeout = null) =>
                new GatewaySearch { Location = _description.Url("/rootDesc.xml"), Timeout = timeout ?? TimeSpan.FromSeconds(5) };

            public void Dispose()
            {
                _description.Dispose();
                Igd.Dispose();
            }
        }
    }
}
