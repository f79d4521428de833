using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using PSUpnp.Bench;

namespace PSUpnp.Bench.Runner
{
    /// <summary>
    /// Runs one scenario: setup, then the driver's commands and the peer's alternately (which goes first alternates
    /// too, so neither always meets a warm or a cold router), each iteration checked; then the in-process bench;
    /// then teardown, always.
    /// </summary>
    internal static class ScenarioRunner
    {
        public static async Task<ScenarioResult> RunAsync(Scenario scenario, int runs, Floors floors, string driverVia, Action<string> log)
        {
            var result = new ScenarioResult(scenario)
            {
                OursProcessVia = driverVia,
                FloorMs = floors.For(scenario.UdpRoundTrips, scenario.HttpRoundTrips, scenario.FixedWaitMs),
            };
            try
            {
                if (scenario.Setup != null)
                {
                    await scenario.Setup().ConfigureAwait(false);
                }

                result.RouterFloorMs = scenario.RouterFloor?.Invoke(floors);

                await MeasureAsync(scenario, runs, result, log).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BenchFailure || e is PSUpnp.Lab.LabCommandException || e is UpnpException || e is JsonException || e is FormatException
                || e is KeyNotFoundException || e is InvalidOperationException)
            {
                result.Failures.Add(e.Message);
            }
            finally
            {
                if (scenario.Teardown != null)
                {
                    try
                    {
                        await scenario.Teardown().ConfigureAwait(false);
                    }
                    catch (PSUpnp.Lab.LabCommandException e)
                    {
                        result.Failures.Add("teardown: " + e.Message);
                    }
                }
            }

            return result;
        }

        private static async Task MeasureAsync(Scenario scenario, int runs, ScenarioResult result, Action<string> log)
        {
            var ours = new List<double>();
            var peer = new List<double>();
            var peerL = new List<double>();
            var baseline = new List<double>();
            var rss = new List<double>();
            var agreed = true;
            for (var i = 0; i < runs; i++)
            {
                IReadOnlyList<ProcessOutcome> o, p, pl, b;
                if (i % 2 == 0)
                {
                    b = await RunAllAsync(scenario.Baseline, false).ConfigureAwait(false);
                    o = await RunAllAsync(scenario.Ours, scenario.OursIsDriver).ConfigureAwait(false);
                    p = await RunAllAsync(scenario.Peer, false).ConfigureAwait(false);
                    pl = await RunAllAsync(scenario.PeerL, false).ConfigureAwait(false);
                }
                else
                {
                    pl = await RunAllAsync(scenario.PeerL, false).ConfigureAwait(false);
                    p = await RunAllAsync(scenario.Peer, false).ConfigureAwait(false);
                    o = await RunAllAsync(scenario.Ours, scenario.OursIsDriver).ConfigureAwait(false);
                    b = await RunAllAsync(scenario.Baseline, false).ConfigureAwait(false);
                }

                ours.Add(o.Sum(x => x.ElapsedMs));
                peer.Add(p.Sum(x => x.ElapsedMs));
                if (pl.Count > 0)
                {
                    peerL.Add(pl.Sum(x => x.ElapsedMs));
                }

                if (b.Count > 0)
                {
                    baseline.Add(b.Sum(x => x.ElapsedMs));
                }

                rss.AddRange(o.Where(x => x.PeakRssMb.HasValue).Select(x => x.PeakRssMb!.Value));
                var problems = scenario.Check(new Iteration(o, p, pl, b));
                if (problems.Count > 0)
                {
                    agreed = false;
                    result.Failures.Add("run " + (i + 1) + ": " + string.Join("; ", problems));
                    log("  run " + (i + 1) + ": " + string.Join("; ", problems));
                }
            }

            result.Runs = runs;
            result.OursProcessMs = Stats.Median(ours);
            result.PeerMs = scenario.Peer.Count > 0 ? Stats.Median(peer) : (double?)null;
            result.PeerLMs = peerL.Count > 0 ? Stats.Median(peerL) : (double?)null;
            if (baseline.Count > 0)
            {
                result.BaselineMs = Stats.Median(baseline);
                result.FloorMs += result.BaselineMs;
            }

            result.PeakRssMb = rss.Count > 0 ? rss.Max() : (double?)null;
            result.Agreed = agreed;

            if (scenario.InProcess != null)
            {
                var bench = await TimedProcess.RunAsync(scenario.InProcess, false).ConfigureAwait(false);
                var timing = Timing.Parse(bench.Lines.LastOrDefault() ?? throw new BenchFailure(scenario.InProcess + " printed nothing."));
                result.OursColdMs = timing.ColdMs;
                result.OursMs = timing.MedianMs;
                result.InProcessPeakRssMb = timing.PeakRssMb;
            }
        }

        private static async Task<IReadOnlyList<ProcessOutcome>> RunAllAsync(IReadOnlyList<Command> commands, bool reportPeakRss)
        {
            var outcomes = new List<ProcessOutcome>(commands.Count);
            foreach (var command in commands)
            {
                outcomes.Add(await TimedProcess.RunAsync(command, reportPeakRss).ConfigureAwait(false));
            }

            return outcomes;
        }
    }
}
