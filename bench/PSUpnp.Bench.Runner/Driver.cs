using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSUpnp.Lab;

namespace PSUpnp.Bench.Runner
{
    /// <summary>How the driver is started: its apphost executable, or <c>dotnet PSUpnp.Bench.dll</c>.</summary>
    internal sealed class Driver
    {
        private readonly string? _dll;

        private Driver(string via, string program, string? dll)
        {
            Via = via;
            Program = program;
            _dll = dll;
        }

        /// <summary>"apphost" or "dotnet PSUpnp.Bench.dll": said in the output beside ours_process_ms.</summary>
        public string Via { get; }

        public string Program { get; }

        public static Driver AppHost(string directory) =>
            new Driver("apphost", Existing(Path.Combine(directory, "PSUpnp.Bench")), null);

        public static Driver Dotnet(string directory) =>
            new Driver("dotnet PSUpnp.Bench.dll", LabController.DotnetHost, Existing(Path.Combine(directory, "PSUpnp.Bench.dll")));

        public Command Run(params string[] arguments) =>
            new Command(Program, _dll == null ? arguments : new[] { _dll }.Concat(arguments).ToArray());

        /// <summary>
        /// Times both ways of starting the driver on one cheap command, alternately, and returns the faster with both
        /// medians (start-up is most of a whole-process figure, so the choice is measured, not assumed).
        /// </summary>
        public static async Task<(Driver Chosen, IReadOnlyDictionary<string, double> Medians)> ChooseAsync(string directory, string[] probe, int samples)
        {
            var candidates = new[] { AppHost(directory), Dotnet(directory) };
            var times = candidates.ToDictionary(c => c.Via, _ => new List<double>());
            for (var i = 0; i < samples; i++)
            {
                foreach (var candidate in i % 2 == 0 ? candidates : candidates.Reverse())
                {
                    times[candidate.Via].Add((await TimedProcess.RunAsync(candidate.Run(probe), false).ConfigureAwait(false)).ElapsedMs);
                }
            }

            var medians = times.ToDictionary(t => t.Key, t => Stats.Median(t.Value));
            return (candidates.OrderBy(c => medians[c.Via]).First(), medians);
        }

        private static string Existing(string path) =>
            File.Exists(path) ? path : throw new BenchFailure("the driver is not built: " + path + " is missing (bench/run builds it).");
    }
}
