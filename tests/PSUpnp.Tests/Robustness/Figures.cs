using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Xunit.Abstractions;

namespace PSUpnp.Tests.Reliability
{
    /// <summary>
    /// The figures a reliability test prints: to its xunit output and, with a fixed prefix, to stdout, where they show in
    /// the tests/run log and where tests/reliability collects them into docs/RELIABILITY.md. Figures are reported, never
    /// asserted as times.
    /// </summary>
    internal static class Figures
    {
        public const string Prefix = "RELIABILITY ";

        public static void Report(ITestOutputHelper output, string key, string text)
        {
            var line = Prefix + key + ": " + text;
            output.WriteLine(line);
            Console.WriteLine(line);
        }

        public static string Milliseconds(TimeSpan span) => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

        public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

        /// <summary>Median and slowest of a set of durations, e.g. "median 12 ms, slowest 840 ms".</summary>
        public static string Spread(IReadOnlyCollection<TimeSpan> durations)
        {
            if (durations.Count == 0)
            {
                return "no samples";
            }

            var sorted = durations.OrderBy(d => d).ToList();
            return "median " + Milliseconds(sorted[sorted.Count / 2]) + ", slowest " + Milliseconds(sorted[sorted.Count - 1]);
        }
    }
}
