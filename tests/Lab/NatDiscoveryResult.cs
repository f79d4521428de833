using System;
using System.Collections.Generic;
using System.Net;
using System.Text.RegularExpressions;

namespace PSUpnp.Lab
{
    /// <summary>An RFC 5780 mapping or filtering behaviour, as turnutils_natdiscovery names it.</summary>
    public enum NatBehavior
    {
        /// <summary>The tests got no answer (UDP blocked, or the server is down).</summary>
        NoAnswer,
        EndpointIndependent,
        AddressDependent,
        AddressAndPortDependent,
    }

    /// <summary>turnutils_natdiscovery's verdict (coturn's own classifier: the oracle the STUN engine is checked against).</summary>
    public sealed class NatDiscoveryResult
    {
        private const string MappingSection = "-= Mapping Behavior Discovery =-";
        private const string FilteringSection = "-= Filtering Behavior Discovery =-";

        private static readonly Regex Verdict = new Regex(
            @"^NAT with (Endpoint Independent|Address Dependent|Address and Port Dependent) (Mapping|Filtering)!\s*$",
            RegexOptions.Multiline | RegexOptions.CultureInvariant);

        private static readonly Regex Reflexive = new Regex(
            @"UDP reflexive addr: (\d+\.\d+\.\d+\.\d+):(\d+)", RegexOptions.CultureInvariant);

        private NatDiscoveryResult(NatBehavior mapping, NatBehavior filtering, bool noNat, IPEndPoint? reflexive, string output)
        {
            Mapping = mapping;
            Filtering = filtering;
            NoNat = noNat;
            ReflexiveAddress = reflexive;
            Output = output;
        }

        public NatBehavior Mapping { get; }

        public NatBehavior Filtering { get; }

        /// <summary>The tool said "No NAT!": the mapped address is the local one.</summary>
        public bool NoNat { get; }

        /// <summary>The first reflexive (mapped) address reported, or null without an answer.</summary>
        public IPEndPoint? ReflexiveAddress { get; }

        /// <summary>The tool's whole output, for failure messages.</summary>
        public string Output { get; }

        public override string ToString() => "mapping " + Mapping + ", filtering " + Filtering + (NoNat ? ", no NAT" : string.Empty);

        /// <summary>Parses the output of <c>turnutils_natdiscovery -m -f</c>.</summary>
        public static NatDiscoveryResult Parse(string output)
        {
            var mappingAt = output.IndexOf(MappingSection, StringComparison.Ordinal);
            var filteringAt = output.IndexOf(FilteringSection, StringComparison.Ordinal);
            if (mappingAt < 0 || filteringAt < mappingAt)
            {
                throw new FormatException("turnutils_natdiscovery printed neither section (run it with -m -f):\n" + output);
            }

            var mappingText = output.Substring(mappingAt, filteringAt - mappingAt);
            var filteringText = output.Substring(filteringAt);
            IPEndPoint? reflexive = null;
            var match = Reflexive.Match(output);
            if (match.Success)
            {
                reflexive = new IPEndPoint(IPAddress.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            }

            return new NatDiscoveryResult(
                BehaviourIn(mappingText, "Mapping"),
                BehaviourIn(filteringText, "Filtering"),
                mappingText.Contains("No NAT!"),
                reflexive,
                output);
        }

        // The last verdict of a section is the tool's conclusion (the mapping test prints one per stage).
        private static NatBehavior BehaviourIn(string section, string kind)
        {
            var behaviour = NatBehavior.NoAnswer;
            foreach (Match match in Verdict.Matches(section))
            {
                if (match.Groups[2].Value != kind)
                {
                    continue;
                }

                behaviour = Names[match.Groups[1].Value];
            }

            return behaviour;
        }

        private static readonly IReadOnlyDictionary<string, NatBehavior> Names = new Dictionary<string, NatBehavior>(StringComparer.Ordinal)
        {
            ["Endpoint Independent"] = NatBehavior.EndpointIndependent,
            ["Address Dependent"] = NatBehavior.AddressDependent,
            ["Address and Port Dependent"] = NatBehavior.AddressAndPortDependent,
        };
    }
}
