using System.Text.Json;

namespace PSUpnp.Bench.Runner
{
    /// <summary>
    /// One in-process timing line, {"scenario", "cold_ms", "median_ms"[, "peak_rss_mb"]}: the driver's <c>bench</c>
    /// prints it, and so does bench/scripts/cmdlet-session.ps1 for each cmdlet.
    /// </summary>
    internal sealed class Timing
    {
        private Timing(string scenario, double coldMs, double medianMs, double? peakRssMb)
        {
            Scenario = scenario;
            ColdMs = coldMs;
            MedianMs = medianMs;
            PeakRssMb = peakRssMb;
        }

        public string Scenario { get; }

        public double ColdMs { get; }

        public double MedianMs { get; }

        public double? PeakRssMb { get; }

        public static Timing Parse(string line)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return new Timing(
                root.GetProperty("scenario").GetString() ?? string.Empty,
                root.GetProperty("cold_ms").GetDouble(),
                root.GetProperty("median_ms").GetDouble(),
                root.TryGetProperty("peak_rss_mb", out var rss) ? rss.GetDouble() : (double?)null);
        }
    }
}
