using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Lab;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Lab;
using PSUpnp.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace PSUpnp.Tests.Reliability
{
    /// <summary>
    /// A renewal loop, as a scheduled task runs it, against the real miniupnpd: restarted in the middle (it forgets every
    /// mapping), or frozen so that renewals fail. The next renewal after a restart re-creates the mapping and says it had
    /// vanished; a renewal that fails removes nothing.
    /// </summary>
    [Collection(LabCollection.Name)]
    [Trait("Category", "Lab")]
    [Trait("Category", "Reliability")]
    public sealed class RestartLabTests
    {
        private static readonly TimeSpan CmdletBound = TimeSpan.FromSeconds(5);
        private static readonly TimeSpan RenewalInterval = TimeSpan.FromMilliseconds(200);
        private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(60);

        private readonly LabFixture _lab;
        private readonly ITestOutputHelper _output;

        public RestartLabTests(LabFixture lab, ITestOutputHelper output)
        {
            _lab = lab;
            _output = output;
        }

        private LabEnvironment Env => _lab.Environment;

        [Fact]
        public async Task AfterARestartTheNextRenewalRecreatesTheMappingAndSaysItHadVanished()
        {
            const int port = 18401;
            var trace = new ListTrace();
            var client = new IgdClient(LabGateway.Miniupnpd(Env), trace);
            var renewals = new ConcurrentQueue<Renewal>();
            using var stop = new CancellationTokenSource(HangBound);
            var clock = Stopwatch.StartNew();
            try
            {
                var first = await client.AddPortMappingAsync(Request(port, renewal: false), stop.Token);
                Assert.Equal(PortMappingChange.Created, first.Change);

                var loop = RenewalLoopAsync(client, port, renewals, clock, stop.Token);
                await WaitUntilAsync(() => renewals.Count(r => r.Result?.Change == PortMappingChange.Renewed) >= 3, stop.Token);

                var restartBegan = clock.Elapsed;
                await _lab.Controller.RestartMiniupnpdAsync(stop.Token);
                var answering = clock.Elapsed;
                await WaitUntilAsync(() => renewals.Any(r => r.At > restartBegan && r.Result?.Change == PortMappingChange.Created), stop.Token);
                var recreated = renewals.First(r => r.At > restartBegan && r.Result?.Change == PortMappingChange.Created);
                await WaitUntilAsync(() => renewals.Count(r => r.At > recreated.At && r.Result != null) >= 2, stop.Token);
                stop.Cancel();
                await loop;

                var all = renewals.ToList();
                var before = all.Where(r => r.At < restartBegan && r.Result != null).ToList();
                var failed = all.Where(r => r.At > restartBegan && r.At <= recreated.At && r.Error != null).ToList();
                var after = all.Where(r => r.At > recreated.At && r.Result != null).ToList();

                Figures.Report(_output, "restart recovery", string.Format(
                    CultureInfo.InvariantCulture,
                    "mapping back {0} after the restart began ({1} after miniupnpd answered again; renewals every {2}); {3} renewal(s) failed meanwhile ({4})",
                    Figures.Seconds(recreated.At - restartBegan),
                    Figures.Seconds(recreated.At - answering),
                    Figures.Milliseconds(RenewalInterval),
                    failed.Count,
                    failed.Count == 0 ? "none" : string.Join(", ", failed.Select(f => ((UpnpException)f.Error!).ErrorId).Distinct())));

                Assert.NotEmpty(before);
                Assert.All(before, r => Assert.Equal(PortMappingChange.Renewed, r.Result!.Change));
                Assert.All(before, r => Assert.Empty(r.Result!.Warnings));

                // The renewal that found the mapping gone says so, in words, to the caller and in the trace.
                var warning = Assert.Single(recreated.Result!.Warnings);
                Assert.Contains("no longer on the router", warning, StringComparison.Ordinal);
                Assert.Contains(trace.Lines, l => l == warning);

                // Renewals that failed while the router was down failed with the engine's own errors, nothing else.
                Assert.All(failed, f => Assert.IsAssignableFrom<UpnpException>(f.Error));
                Assert.NotEmpty(after);
                Assert.All(after, r => Assert.Equal(PortMappingChange.Renewed, r.Result!.Change));

                // The restarted router really holds and forwards-by-rule the mapping again.
                var held = await client.GetSpecificPortMappingAsync(null, port, PortMappingProtocol.TCP, default);
                Assert.NotNull(held);
                Assert.Equal(Env.LanAddress, held!.InternalClient);
                Assert.Contains("dport " + port.ToString(CultureInfo.InvariantCulture), await _lab.Controller.GetRouterRulesetAsync(), StringComparison.Ordinal);
            }
            finally
            {
                await RemoveAsync(client, port);
            }
        }

        [Fact]
        public async Task ARenewalThatFailsBecauseTheRouterIsFrozenRemovesNothing()
        {
            const int port = 18402;
            var trace = new ListTrace();
            var client = new IgdClient(LabGateway.Miniupnpd(Env), trace);
            var pid = File.ReadAllText(Path.Combine(Env.StateDirectory, "miniupnpd.pid")).Trim();
            try
            {
                await client.AddPortMappingAsync(Request(port, renewal: false), default);
                var before = await client.GetSpecificPortMappingAsync(null, port, PortMappingProtocol.TCP, default);
                Assert.NotNull(before);

                // SIGSTOP: the daemon is there but answers nothing, as a hung router does; its kernel still accepts connections.
                (await _lab.Controller.RunAsync("kill", new[] { "-STOP", pid }, TimeSpan.FromSeconds(10))).EnsureSuccess();
                UpnpException failure;
                try
                {
                    failure = await Assert.ThrowsAnyAsync<UpnpException>(() => client.AddPortMappingAsync(Request(port, renewal: true), default));
                }
                finally
                {
                    (await _lab.Controller.RunAsync("kill", new[] { "-CONT", pid }, TimeSpan.FromSeconds(10))).EnsureSuccess();
                }

                Assert.Equal("UpnpTimeout", failure.ErrorId);
                Assert.DoesNotContain(trace.Lines, l => l.StartsWith("SOAP DeletePortMapping", StringComparison.Ordinal));

                // Once it runs again, whatever it had queued is done, and the mapping is as it was, rule included.
                var after = await client.GetSpecificPortMappingAsync(null, port, PortMappingProtocol.TCP, default);
                Assert.NotNull(after);
                Assert.Equal(before!.InternalClient, after!.InternalClient);
                Assert.Equal(before.InternalPort, after.InternalPort);
                Assert.Equal(before.Description, after.Description);
                Assert.Contains("dport " + port.ToString(CultureInfo.InvariantCulture), await _lab.Controller.GetRouterRulesetAsync(), StringComparison.Ordinal);
                Figures.Report(_output, "failed renewal", "a renewal against a frozen router failed with " + failure.ErrorId + " after the engine's bound; the mapping was still held, unchanged, when the router ran again");
            }
            finally
            {
                await RemoveAsync(client, port);
            }
        }

        private static async Task RenewalLoopAsync(IgdClient client, int port, ConcurrentQueue<Renewal> renewals, Stopwatch clock, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                using var bound = CancellationTokenSource.CreateLinkedTokenSource(stop);
                bound.CancelAfter(CmdletBound);
                try
                {
                    var result = await client.AddPortMappingAsync(Request(port, renewal: true), bound.Token);
                    renewals.Enqueue(new Renewal(clock.Elapsed, result, null));
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    renewals.Enqueue(new Renewal(clock.Elapsed, null, e));
                }

                try
                {
                    await Task.Delay(RenewalInterval, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken token)
        {
            while (!condition())
            {
                await Task.Delay(50, token);
            }
        }

        private static async Task RemoveAsync(IgdClient client, int port)
        {
            try
            {
                await client.DeletePortMappingAsync(null, port, PortMappingProtocol.TCP, default);
            }
            catch (UpnpFaultException ex) when (ex.ErrorCode == UpnpFaultCodes.NoSuchEntryInArray)
            {
            }
        }

        private static PortMappingRequest Request(int port, bool renewal) => new PortMappingRequest
        {
            ExternalPort = port,
            Description = "PSUpnp renewal loop",
            LeaseDuration = TimeSpan.FromMinutes(10),
            IsRenewal = renewal,
        };

        private sealed record Renewal(TimeSpan At, PortMappingResult? Result, Exception? Error);
    }
}
