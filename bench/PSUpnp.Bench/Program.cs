using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;

namespace PSUpnp.Bench
{
    /// <summary>
    /// The engine from a shell: one subcommand per cmdlet, results as JSON lines, errors as JSON on stderr.
    /// `bench SCENARIO` repeats an operation in-process and prints its timings, for bench/run.
    /// </summary>
    internal static class Program
    {
        /// <summary>When set, the driver writes its peak resident size (VmHWM, kB) to this file as it exits: bench/run's memory figure.</summary>
        private const string PeakRssFileVariable = "PSUPNP_BENCH_PEAK_RSS_FILE";

        private const string Usage = @"usage: psupnp-bench <command> [options]
  discover [--location URL] [--all] [--timeout-ms N] [--local-address IP]
  external-address [--location URL]
  add --external-port N [--internal-port N] [--protocol TCP|UDP] [--internal-client IP]
      [--description S] [--lease-seconds N] [--remote-host IP] [--force] [--location URL]
  list [--location URL]
  delete --external-port N --protocol TCP|UDP [--remote-host IP] [--location URL]
  nat-type --server HOST[:PORT] (repeated, or a comma list) [--local-address IP] [--timeout-ms N]
      [--with-gateway [--location URL]]   (the UPnP cross-check; off, as in turnutils_natdiscovery)
  natpmp-add|pcp-add --external-port N [--internal-port N] [--protocol TCP|UDP] [--lease-seconds N]
      [--gateway IP]   (NAT-PMP / PCP to the default gateway or --gateway, through the façade; pcp-add prints its nonce)
  natpmp-delete|pcp-delete --external-port N [--internal-port N] [--protocol TCP|UDP] [--gateway IP] [--nonce HEX (pcp: the add's; derived when not given)]
  bench discover|discover-location|external-address|add-delete|list|nat-type|natpmp-add-delete|pcp-add-delete --runs N [options of that command]";

        public static async Task<int> Main(string[] args)
        {
            try
            {
                return await RunAsync(args);
            }
            finally
            {
                var rssFile = Environment.GetEnvironmentVariable(PeakRssFileVariable);
                if (!string.IsNullOrEmpty(rssFile))
                {
                    File.WriteAllText(rssFile, Stats.PeakRssKb()?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
                }
            }
        }

        private static async Task<int> RunAsync(string[] args)
        {
            if (args.Length == 0 || args[0] is "-h" or "--help")
            {
                Console.Error.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            using var cts = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                cts.Cancel();
            };

            var options = new Options(args.Skip(1));
            var trace = options.Flag("verbose") ? new StderrTrace() : null;
            var commands = new Commands(options, trace);
            try
            {
                switch (args[0])
                {
                    case "bench":
                        return await Bench.RunAsync(commands, options, cts.Token);
                    default:
                        foreach (var line in await commands.RunAsync(args[0], cts.Token))
                        {
                            Console.Out.WriteLine(line);
                        }

                        return 0;
                }
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine(e.Message);
                Console.Error.WriteLine(Usage);
                return 2;
            }
            catch (Exception e) when (e is UpnpException || e is OperationCanceledException || e is ArgumentException)
            {
                Console.Error.WriteLine(JsonOutput.Line(w => JsonOutput.Error(w, e)));
                return 1;
            }
        }

        private sealed class StderrTrace : ITraceSink
        {
            private readonly Stopwatch _clock = Stopwatch.StartNew();

            public void Trace(string message) =>
                Console.Error.WriteLine($"VERBOSE [{_clock.Elapsed.TotalMilliseconds,8:0.000} ms] {message}");
        }
    }
}
