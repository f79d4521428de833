using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace PSUpnp.Bench.Runner
{
    /// <summary>One record of bench/results/latest.json: medians, the ratio, the target, the floor, and what failed.</summary>
    internal sealed class ScenarioResult
    {
        public ScenarioResult(Scenario scenario)
        {
            Scenario = scenario;
        }

        public Scenario Scenario { get; }

        public double? OursMs { get; set; }

        public double? OursColdMs { get; set; }

        public double? OursProcessMs { get; set; }

        public string? OursProcessVia { get; set; }

        public double? PeerMs { get; set; }

        public double? PeerLMs { get; set; }

        /// <summary>renew-script: median of pwsh running an empty script in the same iterations (pwsh's own start-up).</summary>
        public double? BaselineMs { get; set; }

        public int Runs { get; set; }

        /// <summary>The largest VmHWM of the driver over the whole-process runs (one operation each, like one cmdlet call).</summary>
        public double? PeakRssMb { get; set; }

        /// <summary>VmHWM of the in-process bench (cold + warm operations in one process).</summary>
        public double? InProcessPeakRssMb { get; set; }

        public double? FloorMs { get; set; }

        /// <summary>Bare round trips of the same requests, the router's work included (add-delete, list-100).</summary>
        public double? RouterFloorMs { get; set; }

        /// <summary>nat-*: every iteration's verdicts agreed. list-100: every listing agreed. Null before a check ran.</summary>
        public bool? Agreed { get; set; }

        public List<string> Failures { get; } = new List<string>();

        /// <summary>What the ratio compares: the in-process median, or the whole process for a scenario of whole processes.</summary>
        public double? ComparedMs => Scenario.WholeProcess ? OursProcessMs : OursMs;

        public double? Ratio => Divide(ComparedMs, PeerMs);

        public double? RatioL => Divide(ComparedMs, PeerLMs);

        /// <summary>Ours against the least the exchanges take (the router's own work included where measured): pcp-add-delete's figure, which has no peer.</summary>
        public double? RatioToFloor => Divide(ComparedMs, RouterFloorMs ?? FloorMs);

        public bool? TargetMet => Ratio.HasValue && Scenario.Target.HasValue ? Ratio.Value <= Scenario.Target.Value : (bool?)null;

        public bool Failed => Failures.Count > 0;

        /// <summary>Why a target was missed or a run failed, in numbers; null when all is well.</summary>
        public string? Note
        {
            get
            {
                var parts = new List<string>();
                if (Failed)
                {
                    parts.Add("FAILED: " + string.Join(" | ", Failures));
                }

                if (TargetMet == false)
                {
                    var budget = Scenario.Target!.Value * PeerMs!.Value;
                    var note = string.Format(
                        CultureInfo.InvariantCulture,
                        "target missed: ours {0:0.###} ms > {1} x peer {2:0.###} ms = {3:0.###} ms",
                        ComparedMs,
                        Scenario.Target,
                        PeerMs,
                        budget);
                    var floor = RouterFloorMs ?? FloorMs;
                    if (floor.HasValue)
                    {
                        note += string.Format(CultureInfo.InvariantCulture, "; floor {0:0.###} ms{1}", floor, RouterFloorMs.HasValue ? " with the router's own work" : string.Empty);
                        if (floor.Value > budget)
                        {
                            note += " (the bare exchanges alone exceed the budget: no client can meet it on this router)";
                        }
                    }

                    parts.Add(note);
                }

                return parts.Count == 0 ? null : string.Join("; ", parts);
            }
        }

        public void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteString("scenario", Scenario.Name);
            Number(w, "ours_ms", OursMs);
            Number(w, "ours_process_ms", OursProcessMs);
            Number(w, "peer_ms", PeerMs);
            Number(w, "ratio", Ratio, 4);
            w.WriteNumber("runs", Runs);
            Number(w, "peak_rss_mb", PeakRssMb, 1);
            if (Scenario.NatMode.HasValue)
            {
                Bool(w, "verdict_match", Agreed);
            }

            if (Scenario.PeerL.Count > 0)
            {
                Number(w, "peer_L_ms", PeerLMs);
                Number(w, "ratio_L", RatioL, 4);
                Bool(w, "listings_agree", Agreed);
            }

            if (Scenario.Baseline.Count > 0)
            {
                Number(w, "pwsh_start_ms", BaselineMs);
                w.WriteString("pwsh_start_command", string.Join(" && ", Scenario.Baseline.Select(c => c.ToString())));
            }

            Number(w, "ours_cold_ms", OursColdMs);
            w.WriteString("ours_process_via", OursProcessVia);
            Number(w, "in_process_peak_rss_mb", InProcessPeakRssMb, 1);
            Number(w, "floor_ms", FloorMs);
            w.WriteString("floor_rule", Scenario.FloorRule);
            if (Scenario.RouterFloor != null)
            {
                Number(w, "router_floor_ms", RouterFloorMs);
                w.WriteString("router_floor_rule", Scenario.RouterFloorRule);
            }

            Number(w, "ratio_to_floor", RatioToFloor, 4);
            Number(w, "target", Scenario.Target);
            w.WriteString("target_rule", Scenario.TargetRule);
            Bool(w, "target_met", TargetMet);
            w.WriteString("ours_command", Scenario.OursLabel ?? string.Join(" && ", Scenario.Ours.Select(c => c.ToString())));
            w.WriteString("peer_command", Scenario.PeerLabel ?? string.Join(" && ", Scenario.Peer.Select(c => c.ToString())));
            w.WriteBoolean("failed", Failed);
            w.WriteString("note", Note);
            w.WriteEndObject();
        }

        private static double? Divide(double? a, double? b) => a.HasValue && b.HasValue && b.Value > 0 ? a.Value / b.Value : (double?)null;

        private static void Number(Utf8JsonWriter w, string name, double? value, int digits = 3)
        {
            if (value.HasValue)
            {
                w.WriteNumber(name, Math.Round(value.Value, digits));
            }
            else
            {
                w.WriteNull(name);
            }
        }

        private static void Bool(Utf8JsonWriter w, string name, bool? value)
        {
            if (value.HasValue)
            {
                w.WriteBoolean(name, value.Value);
            }
            else
            {
                w.WriteNull(name);
            }
        }
    }
}
