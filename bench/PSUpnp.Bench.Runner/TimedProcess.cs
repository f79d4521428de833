using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace PSUpnp.Bench.Runner
{
    /// <summary>A program and its arguments, as the runner starts it (no shell, no <c>ip netns exec</c>).</summary>
    internal sealed class Command
    {
        public Command(string program, params string[] arguments)
        {
            Program = program;
            Arguments = arguments;
        }

        public string Program { get; }

        public IReadOnlyList<string> Arguments { get; }

        public override string ToString() =>
            string.Join(" ", new[] { Program }.Concat(Arguments).Select(a => a.Length > 0 && a.IndexOf(' ') < 0 ? a : "'" + a + "'"));
    }

    /// <summary>What one timed run of a command did.</summary>
    internal sealed class ProcessOutcome
    {
        public ProcessOutcome(Command command, int exitCode, string standardOutput, string standardError, double elapsedMs, double? peakRssMb)
        {
            Command = command;
            ExitCode = exitCode;
            StandardOutput = standardOutput;
            StandardError = standardError;
            ElapsedMs = elapsedMs;
            PeakRssMb = peakRssMb;
        }

        public Command Command { get; }

        public int ExitCode { get; }

        public string StandardOutput { get; }

        public string StandardError { get; }

        /// <summary>From just before the process is started to its exit: start-up, work and exit, as a shell user waits.</summary>
        public double ElapsedMs { get; }

        /// <summary>The driver's VmHWM at exit, when it was asked to report it.</summary>
        public double? PeakRssMb { get; }

        public IReadOnlyList<string> Lines =>
            StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
    }

    /// <summary>Runs one command to its end and times it; a failure or an overrun is an exception that says what ran.</summary>
    internal static class TimedProcess
    {
        /// <summary>The environment variable that makes the driver write its VmHWM (kB) to a file at exit.</summary>
        public const string PeakRssFileVariable = "PSUPNP_BENCH_PEAK_RSS_FILE";

        public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

        public static async Task<ProcessOutcome> RunAsync(Command command, bool reportPeakRss)
        {
            var startInfo = new ProcessStartInfo(command.Program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var argument in command.Arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            string? rssFile = null;
            if (reportPeakRss)
            {
                rssFile = Path.Combine(Path.GetTempPath(), "psupnp-bench-rss-" + Guid.NewGuid().ToString("N"));
                startInfo.Environment[PeakRssFileVariable] = rssFile;
            }

            var watch = Stopwatch.StartNew();
            using var process = Process.Start(startInfo) ?? throw new BenchFailure("could not start " + command);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)Bound.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new BenchFailure(command + " did not finish within " + Bound.TotalSeconds + " s and was killed.");
            }

            var elapsed = watch.Elapsed.TotalMilliseconds;
            var outcome = new ProcessOutcome(command, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), elapsed, ReadPeakRss(rssFile));
            if (outcome.ExitCode != 0)
            {
                throw new BenchFailure(command + " exited " + outcome.ExitCode + ".\nstderr: " + outcome.StandardError.Trim() + "\nstdout: " + outcome.StandardOutput.Trim());
            }

            return outcome;
        }

        private static double? ReadPeakRss(string? file)
        {
            if (file == null)
            {
                return null;
            }

            try
            {
                var text = File.ReadAllText(file).Trim();
                File.Delete(file);
                return double.Parse(text, CultureInfo.InvariantCulture) / 1024.0;
            }
            catch (FileNotFoundException)
            {
                throw new BenchFailure("the driver did not write its peak resident size to " + PeakRssFileVariable + " (is it an older build?)");
            }
        }
    }

    /// <summary>Something the bench cannot measure or a check it failed: the run goes on, the scenario is marked failed.</summary>
    internal sealed class BenchFailure : Exception
    {
        public BenchFailure(string message)
            : base(message)
        {
        }
    }
}
