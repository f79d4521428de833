using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Nat;
using PSUpnp.Stun;
using PSUpnp.Tests.Stun;
using Xunit;
using static PSUpnp.Tests.Stun.FakeStunServer;

namespace PSUpnp.Tests.Nat
{
    public class NatBehaviorDiscoveryTests
    {
        // Generous for loopback so a busy test host cannot turn an answer into silence: 5 copies, silent after 760 ms.
        internal static readonly StunRetransmissionPolicy TestPolicy = new StunRetransmissionPolicy(TimeSpan.FromMilliseconds(40), 5, 4);

        [Theory]
        [InlineData(NatMapping.Direct, NatFiltering.None, NatType.OpenInternet, MappingBehavior.EndpointIndependent, FilteringBehavior.EndpointIndependent)]
        [InlineData(NatMapping.Direct, NatFiltering.AddressAndPortDependent, NatType.SymmetricUdpFirewall, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressAndPortDependent)]
        [InlineData(NatMapping.EndpointIndependent, NatFiltering.EndpointIndependent, NatType.FullCone, MappingBehavior.EndpointIndependent, FilteringBehavior.EndpointIndependent)]
        [InlineData(NatMapping.EndpointIndependent, NatFiltering.AddressDependent, NatType.RestrictedCone, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressDependent)]
        [InlineData(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent, NatType.PortRestrictedCone, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressAndPortDependent)]
        [InlineData(NatMapping.AddressDependent, NatFiltering.AddressAndPortDependent, NatType.Symmetric, MappingBehavior.AddressDependent, FilteringBehavior.AddressAndPortDependent)]
        [InlineData(NatMapping.AddressAndPortDependent, NatFiltering.AddressAndPortDependent, NatType.Symmetric, MappingBehavior.AddressAndPortDependent, FilteringBehavior.AddressAndPortDependent)]
        [InlineData(NatMapping.AddressAndPortDependent, NatFiltering.EndpointIndependent, NatType.Symmetric, MappingBehavior.AddressAndPortDependent, FilteringBehavior.EndpointIndependent)]
        public async Task ClassifiesEachScriptedNatBehaviour(NatMapping mapping, NatFiltering filtering, NatType expected, MappingBehavior expectedMapping, FilteringBehavior expectedFiltering)
        {
            using var server = new FakeStunServer(mapping, filtering);

            var result = await RunAsync(server);

            Assert.Equal(expected, result.NatType);
            Assert.Equal(expectedMapping, result.MappingBehavior);
            Assert.Equal(expectedFiltering, result.FilteringBehavior);
            Assert.Null(result.Reason);
            Assert.Equal(mapping == NatMapping.Direct, result.IsDirect);
            Assert.Equal(server.Primary, result.ServerEndpoint);
            Assert.Equal(server.Other, result.OtherAddress);
            Assert.Equal("127.0.0.1:" + server.Primary.Port, result.Server);
            if (mapping == NatMapping.Direct)
            {
                Assert.Equal(result.LocalEndpoint, result.PublicEndpoint);
                Assert.Null(result.Hairpinning);
            }
            else
            {
                Assert.Equal(PublicIp, result.PublicEndpoint!.Address);
                Assert.False(result.Hairpinning);
            }
        }

        [Fact]
        public async Task SilenceAfterTwoRoundsIsUdpBlockedAndCostsExactlyTwiceRcDatagrams()
        {
            using var server = new FakeStunServer { Blocked = true };

            var result = await RunAsync(server);

            Assert.Equal(NatType.UdpBlocked, result.NatType);
            Assert.Equal(MappingBehavior.NotTested, result.MappingBehavior);
            Assert.Equal(FilteringBehavior.NotTested, result.FilteringBehavior);
            Assert.Null(result.IsDirect);
            Assert.Null(result.PublicEndpoint);
            // Two rounds: under loss one round's copies can all be lost (see NatBehaviorDiscovery.ConnectivityAsync).
            Assert.Equal(2 * TestPolicy.MaxTransmissions, server.ReceivedCount);
            Assert.Equal(2, server.Requests.Select(r => r.Request.TransactionId).Distinct().Count());
            Assert.Contains("blocked", result.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AServerWithoutOtherAddressIsReportedAsUnableToTestNotGuessed()
        {
            using var server = new FakeStunServer { SendOtherAddress = false };

            var result = await RunAsync(server);

            Assert.Equal(NatType.Unknown, result.NatType);
            Assert.Equal(MappingBehavior.NotTested, result.MappingBehavior);
            Assert.Equal(FilteringBehavior.NotTested, result.FilteringBehavior);
            Assert.Contains("OTHER-ADDRESS", result.Reason, StringComparison.Ordinal);
            Assert.NotNull(result.PublicEndpoint);
            Assert.DoesNotContain(server.Requests, r => r.Request.ChangeIp == true || r.Request.ChangePort == true);
        }

        [Fact]
        public async Task AServerThatIgnoresChangeRequestGivesUnknownFilteringWithTheReason()
        {
            using var server = new FakeStunServer(NatMapping.EndpointIndependent, NatFiltering.EndpointIndependent) { IgnoreChangeRequest = true };

            var result = await RunAsync(server);

            Assert.Equal(NatType.Unknown, result.NatType);
            Assert.Equal(FilteringBehavior.Unknown, result.FilteringBehavior);
            Assert.Contains("does not honour CHANGE-REQUEST", result.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task HairpinningIsTrueWhenTheNatReflectsOurOwnRequest()
        {
            using var server = new FakeStunServer(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent) { Hairpin = true };

            var result = await RunAsync(server);

            Assert.True(result.NatType == NatType.PortRestrictedCone, "expected PortRestrictedCone, got " + result.NatType + " (" + result.Reason + ")");
            Assert.True(result.Hairpinning);
            var hairpin = Assert.Single(result.Tests, t => t.Test == NatTest.Hairpinning);
            Assert.Equal(result.PublicEndpoint, hairpin.Destination);
        }

        [Fact]
        public async Task FilteringTestsUseASocketThatContactedOnlyThePrimaryAddress()
        {
            using var server = new FakeStunServer(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent);

            var result = await RunAsync(server, hairpin: false);

            Assert.Equal(NatType.PortRestrictedCone, result.NatType);
            var requests = server.Requests.ToList();
            var fromMain = requests.Where(r => r.Source.Equals(result.LocalEndpoint)).ToList();
            // Test I and the two filtering tests, each at least once (a loaded machine may see a test asked a second
            // round): whatever their number, every one went to the primary address only.
            Assert.True(fromMain.Select(r => r.Request.TransactionId).Distinct().Count() >= 3, "fewer than three transactions from the main socket");
            Assert.All(fromMain, r => Assert.Equal(server.Primary, r.Destination));
            var fromSecond = requests.Where(r => !r.Source.Equals(result.LocalEndpoint)).ToList();
            Assert.Equal(new[] { server.Primary, new IPEndPoint(server.Other.Address, server.Primary.Port), server.Other }.OrderBy(e => e.ToString()), fromSecond.Select(r => r.Destination).Distinct().OrderBy(e => e.ToString()));
        }

        [Fact]
        public async Task TestsAfterTestIStartTogetherRatherThanOneAfterAnother()
        {
            using var server = new FakeStunServer(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent);

            await RunAsync(server, hairpin: false);

            // Order of arrival: test I, then the first copy of all five further tests before any second copy of the
            // two silent filtering tests: they were in flight at once.
            var order = server.Requests.Select(r => r.Request.TransactionId).ToList();
            var firstCopies = order.Skip(1).Distinct().ToList();
            Assert.Equal(5, firstCopies.Count);
            var firstRepeat = order.Select((id, i) => (id, i)).First(x => order.Take(x.i).Contains(x.id)).i;
            Assert.True(firstRepeat >= 6, "a retransmission came before every test had sent its first request: " + firstRepeat);
        }

        [Fact]
        public async Task TheRecommendedScheduleStillClassifiesWithAMeasuredRoundTrip()
        {
            using var server = new FakeStunServer(NatMapping.EndpointIndependent, NatFiltering.AddressDependent);
            var options = Options(server);
            options.Retransmission = StunRetransmissionPolicy.NatDiscovery;
            options.AdaptToRoundTrip = true;

            var result = await NatBehaviorDiscovery.RunAsync(options, CancellationToken.None);

            Assert.Equal(NatType.RestrictedCone, result.NatType);
            var silent = Assert.Single(result.Tests, t => t.Test == NatTest.FilteringTestII);
            Assert.False(silent.Answered);
            Assert.Equal(StunRetransmissionPolicy.NatDiscovery.MaxTransmissions, silent.Transmissions);
        }

        [Fact]
        public async Task LostRequestsAreRetransmittedAndSilentTestsAreAskedAgainBeforeSilenceCounts()
        {
            var copies = new ConcurrentDictionary<StunTransactionId, int>();
            using var server = new FakeStunServer(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent)
            {
                // The first two copies of every transaction are lost on the way.
                DropRequest = (_, request) => copies.AddOrUpdate(request.TransactionId, 1, (_, n) => n + 1) <= 2,
            };

            // Counting copies needs each answer home before the next copy's timer: a slower timer than TestPolicy's
            // keeps that true on a loaded machine.
            var options = Options(server, hairpin: false);
            options.Retransmission = new StunRetransmissionPolicy(TimeSpan.FromMilliseconds(150), TestPolicy.MaxTransmissions, 4);

            var result = await NatBehaviorDiscovery.RunAsync(options, CancellationToken.None);

            Assert.Equal(NatType.PortRestrictedCone, result.NatType);
            Assert.Equal(3, Assert.Single(result.Tests, t => t.Test == NatTest.Connectivity).Transmissions);
            var filteringII = server.Requests.Where(r => r.Request.ChangeIp == true).Select(r => r.Request.TransactionId).ToList();
            Assert.Equal(2 * TestPolicy.MaxTransmissions, filteringII.Count);
            Assert.Equal(2, filteringII.Distinct().Count());
        }

        [Theory]
        [InlineData(NatMapping.EndpointIndependent, NatFiltering.AddressAndPortDependent, NatType.PortRestrictedCone)]
        [InlineData(NatMapping.EndpointIndependent, NatFiltering.EndpointIndependent, NatType.FullCone)]
        [InlineData(NatMapping.AddressAndPortDependent, NatFiltering.AddressAndPortDependent, NatType.Symmetric)]
        public async Task UnderHeavyLossTheVerdictStaysOrSaysTheAnswersWereTooFew(NatMapping mapping, NatFiltering filtering, NatType expected)
        {
            var random = new Random(30);
            // 30% loss each way fails a transmission 51% of the time; the fake drops the requests at that rate.
            using var server = new FakeStunServer(mapping, filtering) { DropRequest = (_, _) => { lock (random) { return random.NextDouble() < 0.51; } } };
            var options = Options(server);
            options.Retransmission = StunRetransmissionPolicy.NatDiscovery;

            var result = await NatBehaviorDiscovery.RunAsync(options, CancellationToken.None);

            if (result.NatType == NatType.Unknown)
            {
                Assert.Contains("too few to decide", result.Reason, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(expected, result.NatType);
            }
        }

        [Fact]
        public async Task CancellationStopsTheRunAndClosesTheSockets()
        {
            using var server = new FakeStunServer { Blocked = true };
            using var cts = new CancellationTokenSource();
            server.Received += n =>
            {
                if (n == 1)
                {
                    cts.Cancel();
                }
            };
            var options = Options(server);
            options.Retransmission = StunRetransmissionPolicy.Rfc8489;

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NatBehaviorDiscovery.RunAsync(options, cts.Token));

            // RFC 8489's second copy would leave 500 ms after the first; the run ended before it.
            Assert.Equal(1, server.ReceivedCount);
        }

        [Fact]
        public async Task ProgressIsReportedForEveryTest()
        {
            using var server = new FakeStunServer(NatMapping.EndpointIndependent, NatFiltering.EndpointIndependent);
            var reports = new ConcurrentQueue<NatTestProgress>();
            var options = Options(server);
            options.Progress = new SyncProgress(reports.Enqueue);

            var result = await NatBehaviorDiscovery.RunAsync(options, CancellationToken.None);

            Assert.Equal(NatType.FullCone, result.NatType);
            var finished = reports.Where(r => r.State != NatTestState.Started).ToList();
            Assert.Equal(7, finished.Count);
            Assert.Equal(Enum.GetValues(typeof(NatTest)).Cast<NatTest>().OrderBy(t => t), finished.Select(r => r.Test).OrderBy(t => t));
            Assert.Contains(finished, r => r.Completed == 7 && r.Total == 7);
            Assert.Equal(7, reports.Count(r => r.State == NatTestState.Started));
        }

        [Fact]
        public async Task TheFirstServerThatSupportsRfc5780IsChosenAmongSeveral()
        {
            using var plain = new FakeStunServer { SendOtherAddress = false };
            using var full = new FakeStunServer(NatMapping.EndpointIndependent, NatFiltering.EndpointIndependent);
            var options = Options(plain);
            options.Servers.Add(full.Primary.ToString());

            var result = await NatBehaviorDiscovery.RunAsync(options, CancellationToken.None);

            Assert.Equal(NatType.FullCone, result.NatType);
            Assert.Equal(full.Primary, result.ServerEndpoint);
        }

        [Fact]
        public async Task NoServerIsAnInvalidArgument()
        {
            var error = await Assert.ThrowsAsync<StunException>(() => NatBehaviorDiscovery.RunAsync(new NatDiscoveryOptions(), CancellationToken.None));

            Assert.Equal(UpnpErrors.StunInvalidServer.Id, error.ErrorId);
        }

        internal static NatDiscoveryOptions Options(FakeStunServer server, bool hairpin = true) => new NatDiscoveryOptions
        {
            Servers = new List<string> { server.Primary.ToString() },
            LocalAddress = IPAddress.Loopback,
            Retransmission = TestPolicy,
            AdaptToRoundTrip = false,
            TestHairpinning = hairpin,
        };

        private static Task<NatDiscoveryResult> RunAsync(FakeStunServer server, bool hairpin = true) =>
            NatBehaviorDiscovery.RunAsync(Options(server, hairpin), CancellationToken.None);

        private sealed class SyncProgress : IProgress<NatTestProgress>
        {
            private readonly Action<NatTestProgress> _report;

            public SyncProgress(Action<NatTestProgress> report) => _report = report;

            public void Report(NatTestProgress value) => _report(value);
        }
    }
}
