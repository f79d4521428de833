using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PSUpnp.Bench.Runner
{
    /// <summary>The table on stdout, latest.json (an array, one record per scenario) and latest.meta.json (date, machine).</summary>
    internal static class Report
    {
        public static string Table(IReadOnlyList<ScenarioResult> results)
        {
            var header = new[] { "scenario", "ours_ms", "cold_ms", "process_ms", "peer_ms", "ratio", "target", "met", "floor_ms", "rss_mb", "check" };
            var rows = new List<string[]> { header };
            foreach (var r in results)
            {
                rows.Add(new[]
                {
                    r.Scenario.Name,
                    Ms(r.OursMs),
                    Ms(r.OursColdMs),
                    Ms(r.OursProcessMs),
                    Ms(r.PeerMs) + (r.PeerLMs.HasValue ? " (-L " + Ms(r.PeerLMs) + ")" : string.Empty),
                    Ratio(r.Ratio) + (r.RatioL.HasValue ? " (-L " + Ratio(r.RatioL) + ")" : string.Empty),
                    r.Scenario.Target.HasValue ? "<= " + r.Scenario.Target.Value.ToString(CultureInfo.InvariantCulture) : "none",
                    r.TargetMet switch { true => "yes", false => "NO", null => "-" },
                    Ms(r.FloorMs) + (r.RouterFloorMs.HasValue ? " (router " + Ms(r.RouterFloorMs) + ")" : string.Empty)
                        + (r.BaselineMs.HasValue ? " (pwsh start " + Ms(r.BaselineMs) + ")" : string.Empty),
                    Mb(r.PeakRssMb ?? r.InProcessPeakRssMb),
                    Check(r),
                });
            }

            var widths = Enumerable.Range(0, header.Length).Select(c => rows.Max(row => row[c].Length)).ToArray();
            var text = new StringBuilder();
            foreach (var row in rows)
            {
                text.AppendLine(string.Join("  ", row.Select((cell, c) => c == 0 || c == row.Length - 1 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
            }

            foreach (var r in results.Where(r => r.Note != null))
            {
                text.AppendLine(r.Scenario.Name + ": " + r.Note);
            }

            return text.ToString();
        }

        public static void WriteResults(string path, IReadOnlyList<ScenarioResult> results)
        {
            WriteJson(path, w =>
            {
                w.WriteStartArray();
                foreach (var r in results)
                {
                    r.Write(w);
                }

                w.WriteEndArray();
            });
        }

        /// <summary>Where and when the figures were taken: they mean little without the machine and its load.</summary>
        public static void WriteMeta(string path, RunInfo info)
        {
            WriteJson(path, w =>
            {
                w.WriteStartObject();
                w.WriteString("date", info.Started.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                w.WriteNumber("duration_s", Math.Round(info.Duration.TotalSeconds, 1));
                w.WriteNumber("nproc", Environment.ProcessorCount);
                w.WriteNumber("memory_mb", MemoryMb());
                w.WriteString("cpu", CpuModel());
                w.WriteString("kernel", ReadFirstLine("/proc/sys/kernel/osrelease"));
                w.WriteString("dotnet", RuntimeInformation.FrameworkDescription);
                w.WriteString("loadavg_start", info.LoadStart);
                w.WriteString("loadavg_end", ReadFirstLine("/proc/loadavg"));
                w.WriteNumber("runs", info.Runs);
                w.WriteString("lab_prefix", info.LabPrefix);
                w.WriteNumber("udp_round_trip_ms", Math.Round(info.Floors.UdpMs, 3));
                w.WriteNumber("http_round_trip_ms", Math.Round(info.Floors.HttpMs, 3));
                w.WriteString("ours_process_via", info.DriverVia);
                w.WriteStartObject("driver_start_medians_ms");
                foreach (var pair in info.DriverStartMedians)
                {
                    w.WriteNumber(pair.Key, Math.Round(pair.Value, 3));
                }

                w.WriteEndObject();
                w.WriteEndObject();
            });
        }

        public static string ReadFirstLine(string path) =>
            File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() ?? string.Empty : string.Empty;

        private static string Check(ScenarioResult r)
        {
            if (r.Failed)
            {
                return "FAILED";
            }

            if (r.Scenario.NatMode.HasValue)
            {
                return r.Agreed == true ? "verdicts match" : "-";
            }

            if (r.Scenario.PeerL.Count > 0)
            {
                return r.Agreed == true ? "listings agree" : "-";
            }

            return "ok";
        }

        private static string Ms(double? value) => value.HasValue ? value.Value.ToString(value.Value < 100 ? "0.00" : "0", CultureInfo.InvariantCulture) : "-";

        private static string Mb(double? value) => value.HasValue ? value.Value.ToString("0.0", CultureInfo.InvariantCulture) : "-";

        private static string Ratio(double? value) => value.HasValue ? value.Value.ToString("0.000", CultureInfo.InvariantCulture) : "-";

        private static void WriteJson(string path, Action<Utf8JsonWriter> write)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using (var stream = File.Create(path))
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                write(writer);
            }

            File.AppendAllText(path, "\n");
        }

        private static long MemoryMb()
        {
            foreach (var line in File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo") : Enumerable.Empty<string>())
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Substring(9).Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
                }
            }

            return 0;
        }

        private static string CpuModel()
        {
            foreach (var line in File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo") : Enumerable.Empty<string>())
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    return line.Substring(line.IndexOf(':') + 1).Trim();
                }
            }

            return string.Empty;
        }
    }

    /// <summary>The facts of one bench run that are not per scenario.</summary>
    internal sealed class RunInfo
    {
        public DateTimeOffset Started { get; set; }

        public TimeSpan Duration { get; set; }

        public string LoadStart { get; set; } = string.Empty;

        public int Runs { get; set; }

        public string LabPrefix { get; set; } = string.Empty;

        public Floors Floors { get; set; } = null!;

        public string DriverVia { get; set; } = string.Empty;

        public IReadOnlyDictionary<string, double> DriverStartMedians { get; set; } = new Dictionary<string, double>();
    }
}
