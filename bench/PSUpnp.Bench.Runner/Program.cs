using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSUpnp.Lab;

namespace PSUpnp.Bench.Runner
{
    /// <summary>
    /// The comparison of issue 4, run inside the lab's lan namespace by bench/run: each scenario alternately for the
    /// driver and for the peer tool, then the driver's in-process bench; a table on stdout, results as JSON.
    /// Exit 0 when every scenario ran and every check agreed (a missed target is reported, not a failure); 1 when a
    /// scenario failed (the tools disagree, or one of them failed); 2 on bad usage.
    /// </summary>
    internal static class Program
    {
        private const string Usage = @"usage: PSUpnp.Bench.Runner --driver DIR [--runs N] [--out DIR] [--only NAME[,NAME...]]
  --driver DIR   the driver's build output (PSUpnp.Bench and PSUpnp.Bench.dll)
  --runs N       runs of each tool per scenario, and warm in-process operations (default 10)
  --out DIR      write DIR/latest.json and DIR/latest.meta.json
  --pwsh PATH    pwsh, for renew-script and the cmdlet-* rows (selected as 'cmdlets')
  --module PATH  the built module's PSUpnp.psd1, imported by those
  --only NAMES   run only these scenarios: ";

        public static async Task<int> Main(string[] args)
        {
            RunnerOptions options;
            try
            {
                options = RunnerOptions.Parse(args);
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine(e.Message);
                Console.Error.WriteLine(Usage + string.Join(",", Scenarios.Names));
                return 2;
            }

            var info = new RunInfo { Started = DateTimeOffset.UtcNow, LoadStart = Report.ReadFirstLine("/proc/loadavg"), Runs = options.Runs };
            var clock = Stopwatch.StartNew();
            var environment = LabEnvironment.Load();
            info.LabPrefix = environment.Prefix;
            if (!environment.IsCurrentProcessInLan())
            {
                Console.Error.WriteLine("bench runner: not in the lab's lan namespace " + environment.LanNamespace + " (" + environment.LanAddress + " is not a local address); run bench/run, which starts the lab and this runner inside it.");
                return 1;
            }

            var lab = new LabController(environment);
            try
            {
                await lab.ResetToDefaultsAsync().ConfigureAwait(false);
                var (driver, medians) = await Driver.ChooseAsync(options.DriverDirectory, new[] { "discover", "--location", environment.RootDescriptionUrl.ToString() }, 5).ConfigureAwait(false);
                info.DriverVia = driver.Via;
                info.DriverStartMedians = medians;
                Log("driver started as " + driver.Via + " (median " + string.Join(", ", medians.Select(m => m.Key + " " + m.Value.ToString("0.0", CultureInfo.InvariantCulture) + " ms")) + " for discover --location)");

                info.Floors = Floors.Measure(environment, 21);
                Log(string.Format(CultureInfo.InvariantCulture, "floor: UDP round trip {0:0.000} ms, HTTP round trip {1:0.000} ms", info.Floors.UdpMs, info.Floors.HttpMs));

                var results = new List<ScenarioResult>();
                var scenarios = new Scenarios(environment, lab, driver, new PowerShellHost(options.Pwsh, options.Module), options.Runs);
                foreach (var scenario in scenarios.All().Where(s => options.Only == null || options.Only.Contains(s.Name)))
                {
                    Log(scenario.Name + ": " + options.Runs + " runs each of " + string.Join(" && ", scenario.Ours) + "  vs  " + string.Join(" && ", scenario.Peer));
                    var result = await ScenarioRunner.RunAsync(scenario, options.Runs, info.Floors, driver.Via, Log).ConfigureAwait(false);
                    results.Add(result);
                    Log(result.Scenario.WholeProcess
                        ? string.Format(
                            CultureInfo.InvariantCulture,
                            "  ours {0:0.00} ms (whole process; pwsh's own start {1:0.00}), peer {2:0.00} ms, ratio {3:0.000}{4}",
                            result.OursProcessMs,
                            result.BaselineMs,
                            result.PeerMs,
                            result.Ratio,
                            result.Failed ? ", FAILED" : string.Empty)
                        : string.Format(
                            CultureInfo.InvariantCulture,
                            "  ours {0:0.00} ms (cold {1:0.00}, process {2:0.00}), peer {3:0.00} ms, ratio {4:0.000}{5}",
                            result.OursMs,
                            result.OursColdMs,
                            result.OursProcessMs,
                            result.PeerMs,
                            result.Ratio,
                            result.Failed ? ", FAILED" : string.Empty));
                }

                if (options.Only == null || options.Only.Contains(Scenarios.CmdletsName))
                {
                    foreach (var result in await scenarios.CmdletLayerAsync(info.Floors, Log).ConfigureAwait(false))
                    {
                        results.Add(result);
                        Log(string.Format(
                            CultureInfo.InvariantCulture,
                            "  {0}: cmdlet {1:0.00} ms (first call {2:0.00}), driver {3:0.00} ms, ratio {4:0.000}{5}",
                            result.Scenario.Name,
                            result.OursMs,
                            result.OursColdMs,
                            result.PeerMs,
                            result.Ratio,
                            result.Failed ? ", FAILED" : string.Empty));
                    }
                }

                info.Duration = clock.Elapsed;
                Console.Out.WriteLine();
                Console.Out.Write(Report.Table(results));
                Console.Out.WriteLine("ours_ms: in-process median after one warm-up (driver started as " + driver.Via + " for process_ms); ratio = ours_ms / peer_ms.");
                Console.Out.WriteLine("renew-script: ratio = process_ms (the whole pwsh process) / peer_ms. cmdlet-*: ours = the cmdlet in one warm pwsh session (rss_mb: that session's), peer = the driver's in-process median for the same work.");
                if (options.OutputDirectory != null)
                {
                    Report.WriteResults(Path.Combine(options.OutputDirectory, "latest.json"), results);
                    Report.WriteMeta(Path.Combine(options.OutputDirectory, "latest.meta.json"), info);
                    Console.Out.WriteLine("wrote " + Path.Combine(options.OutputDirectory, "latest.json") + " and latest.meta.json");
                }

                var failed = results.Where(r => r.Failed).ToList();
                if (failed.Count > 0)
                {
                    Console.Error.WriteLine("bench FAILED in " + string.Join(", ", failed.Select(r => r.Scenario.Name)) + ":");
                    foreach (var r in failed)
                    {
                        Console.Error.WriteLine("  " + r.Scenario.Name + ": " + string.Join(" | ", r.Failures));
                    }

                    return 1;
                }

                return 0;
            }
            catch (Exception e) when (e is BenchFailure || e is LabCommandException)
            {
                Console.Error.WriteLine("bench runner: " + e.Message);
                return 1;
            }
            finally
            {
                try
                {
                    await lab.ResetToDefaultsAsync().ConfigureAwait(false);
                }
                catch (LabCommandException e)
                {
                    Console.Error.WriteLine("bench runner: could not put the lab back to its defaults: " + e.Message);
                }
            }
        }

        private static void Log(string line) =>
            Console.Error.WriteLine("[" + DateTimeOffset.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + "] " + line);
    }

    internal sealed class RunnerOptions
    {
        public int Runs { get; private set; } = 10;

        public string DriverDirectory { get; private set; } = string.Empty;

        public string? OutputDirectory { get; private set; }

        public string? Pwsh { get; private set; }

        public string? Module { get; private set; }

        public ISet<string>? Only { get; private set; }

        public static RunnerOptions Parse(IReadOnlyList<string> args)
        {
            var options = new RunnerOptions();
            for (var i = 0; i < args.Count; i++)
            {
                string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException(args[i] + " needs a value.");
                switch (args[i])
                {
                    case "--runs":
                        var text = Value();
                        options.Runs = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var runs) && runs >= 1
                            ? runs
                            : throw new FormatException("--runs takes a positive whole number, not '" + text + "'.");
                        break;
                    case "--driver":
                        options.DriverDirectory = Value();
                        break;
                    case "--out":
                        options.OutputDirectory = Value();
                        break;
                    case "--pwsh":
                        options.Pwsh = Value();
                        break;
                    case "--module":
                        options.Module = Value();
                        break;
                    case "--only":
                        options.Only = new HashSet<string>(Value().Split(','), StringComparer.Ordinal);
                        var unknown = options.Only.Except(Scenarios.Names).ToList();
                        if (unknown.Count > 0)
                        {
                            throw new FormatException("unknown scenario(s): " + string.Join(", ", unknown));
                        }

                        break;
                    default:
                        throw new FormatException("unknown option '" + args[i] + "'.");
                }
            }

            if (options.DriverDirectory.Length == 0)
            {
                throw new FormatException("--driver is required.");
            }

            return options;
        }
    }
}
