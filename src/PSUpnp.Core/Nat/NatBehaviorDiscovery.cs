using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;
using PSUpnp.Stun;

namespace PSUpnp.Nat
{
    /// <summary>
    /// NAT behaviour discovery per RFC 5780 over UDP. Test I goes to every server at once; once one answers with
    /// OTHER-ADDRESS, the filtering tests (on the first socket, which has contacted nothing but the primary address),
    /// the mapping tests (on a second socket, so that contacting the alternate address cannot open the first
    /// socket's filter) and the hairpinning test all run together: a full run costs test I plus one retransmission
    /// chain. Silence is evidence; when the run saw loss, silent tests are asked once more before it counts.
    /// </summary>
    internal static class NatBehaviorDiscovery
    {
        public static async Task<NatDiscoveryResult> RunAsync(NatDiscoveryOptions options, CancellationToken cancellationToken)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            if (options.Servers == null || options.Servers.Count == 0)
            {
                throw new StunException(UpnpErrors.StunInvalidServer, "No STUN server was given.");
            }

            var family = options.LocalAddress?.AddressFamily ?? AddressFamily.InterNetwork;
            var servers = await StunServerAddress.ResolveAllAsync(options.Servers, family, options.Trace, cancellationToken).ConfigureAwait(false);
            var policy = options.Timeout.HasValue ? options.Retransmission.ScaledTo(options.Timeout.Value) : options.Retransmission;
            var local = new IPEndPoint(options.LocalAddress ?? (family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any), options.LocalPort);
            using (var run = new Run(options, policy, cancellationToken))
            {
                return await run.ExecuteAsync(local, servers).ConfigureAwait(false);
            }
        }

        internal static StunMessage Binding(params StunAttribute[] attributes) =>
            new StunMessage(StunMessageClass.Request, StunMethod.Binding, StunTransactionId.NewId(), attributes);

        private sealed class Run : IDisposable
        {
            private readonly NatDiscoveryOptions _options;
            private readonly StunRetransmissionPolicy _policy;
            private readonly CancellationToken _token;
            private readonly List<StunClient> _clients = new List<StunClient>();
            private readonly List<NatTestOutcome> _outcomes = new List<NatTestOutcome>();
            private readonly CancellationTokenRegistration _registration;
            private int _completed;
            private int _total = 1;
            private bool _lossSeen;

            public Run(NatDiscoveryOptions options, StunRetransmissionPolicy policy, CancellationToken token)
            {
                _options = options;
                _policy = policy;
                _token = token;

                // UDP receive takes no token on netstandard2.0: the caller's cancellation closes the sockets.
                _registration = token.Register(CloseSockets);
            }

            public void Dispose()
            {
                _registration.Dispose();
                CloseSockets();
            }

            public async Task<NatDiscoveryResult> ExecuteAsync(IPEndPoint local, List<(StunServerAddress Name, IPEndPoint EndPoint)> servers)
            {
                var main = Open(local);
                var first = await ConnectivityAsync(main, servers).ConfigureAwait(false);
                if (first == null)
                {
                    var names = string.Join(", ", servers.Select(s => s.Name.ToString()));
                    return Result(NatType.UdpBlocked, MappingBehavior.NotTested, FilteringBehavior.NotTested, null, null, RouteLocal(main, servers[0].EndPoint), null, names, null, null,
                        "No STUN server answered over UDP after two rounds of " + _policy.MaxTransmissions + " transmissions each: outbound UDP is blocked (or every server is down).");
                }

                var (server, test1) = first.Value;
                var primary = server.EndPoint;
                var response = test1.Response!;
                var mainLocal = RouteLocal(main, primary);
                var mapped = response.ReflexiveAddress;
                if (response.Class != StunMessageClass.SuccessResponse || mapped == null)
                {
                    return Result(NatType.Unknown, MappingBehavior.NotTested, FilteringBehavior.NotTested, null, null, mainLocal, null, server.Name.ToString(), primary, null,
                        "The server answered test I " + (response.Error != null ? "with error " + response.Error : "without a mapped address") + ": it cannot be used for NAT tests.");
                }

                var isDirect = mapped.Equals(mainLocal);
                var other = response.AlternateAddress;
                var phase2 = _options.AdaptToRoundTrip && test1.RoundTripTime.HasValue ? _policy.AdaptedTo(test1.RoundTripTime.Value) : _policy;
                if (phase2.TotalDuration > _policy.TotalDuration)
                {
                    phase2 = _policy;
                }

                _options.Trace.Trace("NAT discovery: server " + server.Name + " at " + primary + ", other address " + (other?.ToString() ?? "none")
                    + ", mapped " + mapped + " for local " + mainLocal + "; further tests use " + phase2 + ".");

                // A hairpinned request only travels to the NAT and back, a shorter trip than any answer from the
                // server: once the server's tests are done, a hairpin that has not come back is not coming.
                using var hairpinGiveUp = new CancellationTokenSource();
                var hairpinTask = _options.TestHairpinning && !isDirect
                    ? TestAsync(NatTest.Hairpinning, main, Binding(), mapped, new[] { mapped, mainLocal }, true, phase2, hairpinGiveUp.Token)
                    : null;
                if (other == null)
                {
                    var hairpinOnly = hairpinTask != null ? await hairpinTask.ConfigureAwait(false) : null;
                    return Result(NatType.Unknown, MappingBehavior.NotTested, FilteringBehavior.NotTested, hairpinOnly?.Answered, isDirect, mainLocal, mapped, server.Name.ToString(), primary, null,
                        "The server " + server.Name + " sent no OTHER-ADDRESS: it does not support RFC 5780 behaviour tests, so mapping and filtering behaviour cannot be tested. Name a server that does.");
                }

                var alternateIp = new IPEndPoint(other.Address, primary.Port);
                var alternatePort = new IPEndPoint(primary.Address, other.Port);
                var serverAddresses = new[] { primary, alternatePort, alternateIp, other };
                var second = Open(new IPEndPoint(local.Address, 0));
                var secondLocal = RouteLocal(second, primary);

                var filtering2 = TestAsync(NatTest.FilteringTestII, main, Binding(StunAttribute.ChangeRequest(true, true)), primary, serverAddresses, false, phase2);
                var filtering3 = TestAsync(NatTest.FilteringTestIII, main, Binding(StunAttribute.ChangeRequest(false, true)), primary, serverAddresses, false, phase2);
                var mapping1 = TestAsync(NatTest.MappingTestI, second, Binding(), primary, new[] { primary }, false, phase2);
                var mapping2 = TestAsync(NatTest.MappingTestII, second, Binding(), alternateIp, new[] { alternateIp }, false, phase2);
                var mapping3 = TestAsync(NatTest.MappingTestIII, second, Binding(), other, new[] { other }, false, phase2);
                var firstRound = await Task.WhenAll(filtering2, filtering3, mapping1, mapping2, mapping3).ConfigureAwait(false);
                var f2 = firstRound[0];
                var f3 = firstRound[1];
                var m1 = firstRound[2];
                var m2 = firstRound[3];
                var m3 = firstRound[4];

                // Silence decides filtering; under loss a silent test may only have lost its answers, so ask again.
                if (_lossSeen)
                {
                    _options.Trace.Trace("NAT discovery: answers were lost on the way; asking the silent tests once more.");
                    f2 = f2.Answered ? f2 : await TestAsync(NatTest.FilteringTestII, main, Binding(StunAttribute.ChangeRequest(true, true)), primary, serverAddresses, false, phase2).ConfigureAwait(false);
                    f3 = f3.Answered ? f3 : await TestAsync(NatTest.FilteringTestIII, main, Binding(StunAttribute.ChangeRequest(false, true)), primary, serverAddresses, false, phase2).ConfigureAwait(false);
                    var retries = new[]
                    {
                        m1.Answered ? Task.FromResult(m1) : TestAsync(NatTest.MappingTestI, second, Binding(), primary, new[] { primary }, false, phase2),
                        m2.Answered ? Task.FromResult(m2) : TestAsync(NatTest.MappingTestII, second, Binding(), alternateIp, new[] { alternateIp }, false, phase2),
                        m3.Answered ? Task.FromResult(m3) : TestAsync(NatTest.MappingTestIII, second, Binding(), other, new[] { other }, false, phase2),
                    };
                    var retried = await Task.WhenAll(retries).ConfigureAwait(false);
                    m1 = retried[0];
                    m2 = retried[1];
                    m3 = retried[2];
                }

                hairpinGiveUp.Cancel();
                var hairpin = hairpinTask != null ? await hairpinTask.ConfigureAwait(false) : null;
                var verdict = NatClassifier.Classify(new NatEvidence(isDirect, secondLocal, other, alternatePort, m1, m2, m3, f2, f3));
                return Result(verdict.NatType, verdict.Mapping, verdict.Filtering, hairpin?.Answered, isDirect, mainLocal, mapped, server.Name.ToString(), primary, other, verdict.Reason);
            }

            private async Task<(( StunServerAddress Name, IPEndPoint EndPoint) Server, StunTransactionResult Result)?> ConnectivityAsync(StunClient main, List<(StunServerAddress Name, IPEndPoint EndPoint)> servers)
            {
                Report(NatTest.Connectivity, NatTestState.Started);

                // Silence here means "UDP blocked", but under loss every copy of one round can be lost (30% each way
                // loses all 8 one run in 200): two rounds make that wrong verdict as rare as one in 50,000. Each round
                // runs the schedule at twice the pace, so a blocked path costs what one round at full length did.
                var round = _policy.ScaledTo(TimeSpan.FromTicks(_policy.TotalDuration.Ticks / 2));
                var chosen = await ServerRace.AskEveryServerAsync(main, servers, round, _token).ConfigureAwait(false);
                if (chosen == null)
                {
                    _options.Trace.Trace("NAT discovery: no server answered test I; asking once more before calling UDP blocked.");
                    chosen = await ServerRace.AskEveryServerAsync(main, servers, round, _token).ConfigureAwait(false);
                }

                var test1 = chosen?.Result;
                if (test1 != null)
                {
                    _lossSeen |= test1.Transmissions > 1;
                    lock (_outcomes)
                    {
                        _outcomes.Add(new NatTestOutcome(NatTest.Connectivity, main.LocalEndPoint, test1));
                    }
                }

                Interlocked.Add(ref _total, test1 != null ? 6 : 0);
                Report(NatTest.Connectivity, test1 != null ? NatTestState.Answered : NatTestState.NoAnswer, true);
                return chosen;
            }

            private async Task<NatTestOutcome> TestAsync(NatTest test, StunClient client, StunMessage request, IPEndPoint destination, IReadOnlyCollection<IPEndPoint> acceptFrom, bool acceptOwnRequest, StunRetransmissionPolicy policy, CancellationToken giveUp = default)
            {
                Report(test, NatTestState.Started);
                var result = await client.SendAsync(request, destination, acceptFrom, acceptOwnRequest, policy, _token, giveUp).ConfigureAwait(false);
                var outcome = new NatTestOutcome(test, client.LocalEndPoint, result);
                lock (_outcomes)
                {
                    _outcomes.RemoveAll(o => o.Test == test);
                    _outcomes.Add(outcome);
                    _lossSeen |= result.Answered && result.Transmissions > 1;
                }

                _options.Trace.Trace("NAT test " + outcome);
                Report(test, result.Answered ? NatTestState.Answered : NatTestState.NoAnswer, true);
                return outcome;
            }

            private NatDiscoveryResult Result(NatType natType, MappingBehavior mapping, FilteringBehavior filtering, bool? hairpinning, bool? isDirect, IPEndPoint local, IPEndPoint? mapped, string server, IPEndPoint? serverEndpoint, IPEndPoint? other, string? reason)
            {
                List<NatTestOutcome> tests;
                lock (_outcomes)
                {
                    tests = _outcomes.OrderBy(o => o.Test).ToList();
                }

                _options.Trace.Trace("NAT discovery: " + natType + " (mapping " + mapping + ", filtering " + filtering + ")" + (reason != null ? ": " + reason : "."));
                return new NatDiscoveryResult(natType, mapping, filtering, hairpinning, isDirect, local, mapped, server, serverEndpoint, other, reason, tests);
            }

            private StunClient Open(IPEndPoint local)
            {
                var client = new StunClient(local, _options.Trace);
                lock (_clients)
                {
                    _clients.Add(client);
                }

                if (_token.IsCancellationRequested)
                {
                    CloseSockets();
                    _token.ThrowIfCancellationRequested();
                }

                return client;
            }

            private void CloseSockets()
            {
                lock (_clients)
                {
                    foreach (var client in _clients)
                    {
                        client.Dispose();
                    }
                }
            }

            private void Report(NatTest test, NatTestState state, bool finished = false)
            {
                var completed = finished ? Interlocked.Increment(ref _completed) : Volatile.Read(ref _completed);
                _options.Progress?.Report(new NatTestProgress(test, state, completed, Math.Max(completed, Volatile.Read(ref _total))));
            }

            /// <summary>
            /// The local address as the server sees it without NAT: a wildcard-bound socket reports 0.0.0.0, so ask
            /// the routing table which address a datagram to the server would leave from.
            /// </summary>
            private static IPEndPoint RouteLocal(StunClient client, IPEndPoint server)
            {
                var bound = client.LocalEndPoint;
                if (!bound.Address.Equals(IPAddress.Any) && !bound.Address.Equals(IPAddress.IPv6Any))
                {
                    return bound;
                }

                try
                {
                    return new IPEndPoint(SystemLocalNetwork.Instance.GetRouteSource(server.Address), bound.Port);
                }
                catch (UpnpConnectionException)
                {
                    // No route: the test I verdict (UDP blocked) follows, and the bound address is all there is to report.
                    return bound;
                }
            }
        }
    }
}
