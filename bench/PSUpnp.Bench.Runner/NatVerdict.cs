using System;
using System.Text.Json;
using PSUpnp.Lab;

namespace PSUpnp.Bench.Runner
{
    /// <summary>
    /// A NAT classification reduced to what both tools decide: RFC 5780 mapping and filtering behaviour, in the lab's
    /// names (turnutils_natdiscovery's). The RFC 3489 name is kept for the report only.
    /// </summary>
    internal sealed class NatVerdict : IEquatable<NatVerdict>
    {
        public NatVerdict(string mapping, string filtering, string? natType = null)
        {
            Mapping = mapping;
            Filtering = filtering;
            NatType = natType;
        }

        /// <summary>A <see cref="NatBehavior"/> name, or the driver's own word when it has no counterpart (Unknown, NotTested).</summary>
        public string Mapping { get; }

        public string Filtering { get; }

        public string? NatType { get; }

        /// <summary>The driver's <c>nat-type</c> line. UDP blocked is "no answer" for both behaviours, as turnutils reports it.</summary>
        public static NatVerdict FromDriver(string jsonLine)
        {
            using var document = JsonDocument.Parse(jsonLine);
            var root = document.RootElement;
            var natType = Text(root, "NatType");
            if (natType == "UdpBlocked")
            {
                return new NatVerdict(nameof(NatBehavior.NoAnswer), nameof(NatBehavior.NoAnswer), natType);
            }

            return new NatVerdict(Text(root, "MappingBehavior"), Text(root, "FilteringBehavior"), natType);
        }

        public static NatVerdict FromTurnutils(NatDiscoveryResult result) =>
            new NatVerdict(result.Mapping.ToString(), result.Filtering.ToString(), result.NoNat ? "No NAT" : null);

        /// <summary>What the lab's router is built to show in a mode.</summary>
        public static NatVerdict Expected(NatMode mode) =>
            new NatVerdict(NatModes.ExpectedMapping(mode).ToString(), NatModes.ExpectedFiltering(mode).ToString());

        public bool Equals(NatVerdict? other) => other != null && Mapping == other.Mapping && Filtering == other.Filtering;

        public override bool Equals(object? obj) => Equals(obj as NatVerdict);

        public override int GetHashCode() => (Mapping + "/" + Filtering).GetHashCode(StringComparison.Ordinal);

        public override string ToString() => "mapping " + Mapping + ", filtering " + Filtering + (NatType != null ? " (" + NatType + ")" : string.Empty);

        private static string Text(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
            {
                throw new BenchFailure("the driver's nat-type output has no string property " + name + ": " + root.GetRawText());
            }

            return value.GetString()!;
        }
    }
}
