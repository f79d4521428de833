using System.Collections.Generic;

namespace PSUpnp.Nat
{
    /// <summary>
    /// Mapping and filtering behaviour (RFC 5780 sections 4.3 and 4.4) and the classic RFC 3489 name from the tests'
    /// outcomes alone, apart from the sockets so that every combination is tested from a table.
    /// </summary>
    internal static class NatClassifier
    {
        public static NatVerdict Classify(NatEvidence evidence)
        {
            var reasons = new List<string>();
            var mapping = Mapping(evidence, reasons);
            var filtering = Filtering(evidence, reasons);

            // Every undecided behaviour leaves its reason, so an Unknown name always comes with one.
            return new NatVerdict(Name(evidence.IsDirect, mapping, filtering), mapping, filtering, reasons.Count == 0 ? null : string.Join(" ", reasons));
        }

        /// <summary>The RFC 3489 name of a mapping and filtering behaviour; Unknown where RFC 3489 has none.</summary>
        private static NatType Name(bool isDirect, MappingBehavior mapping, FilteringBehavior filtering)
        {
            if (isDirect)
            {
                return filtering switch
                {
                    FilteringBehavior.EndpointIndependent => NatType.OpenInternet,
                    FilteringBehavior.AddressDependent or FilteringBehavior.AddressAndPortDependent => NatType.SymmetricUdpFirewall,
                    _ => NatType.Unknown,
                };
            }

            if (mapping == MappingBehavior.AddressDependent || mapping == MappingBehavior.AddressAndPortDependent)
            {
                return NatType.Symmetric;
            }

            if (mapping != MappingBehavior.EndpointIndependent)
            {
                return NatType.Unknown;
            }

            return filtering switch
            {
                FilteringBehavior.EndpointIndependent => NatType.FullCone,
                FilteringBehavior.AddressDependent => NatType.RestrictedCone,
                FilteringBehavior.AddressAndPortDependent => NatType.PortRestrictedCone,
                _ => NatType.Unknown,
            };
        }

        private static MappingBehavior Mapping(NatEvidence e, List<string> reasons)
        {
            var m1 = e.MappingI;
            var m2 = e.MappingII;
            var m3 = e.MappingIII;
            if (!m1.Answered || m1.MappedAddress == null)
            {
                reasons.Add(Silent(m1, "mapping test I"));
                return MappingBehavior.Unknown;
            }

            if (m1.MappedAddress.Equals(e.SecondLocal))
            {
                return MappingBehavior.EndpointIndependent;
            }

            if (!m2.Answered || m2.MappedAddress == null)
            {
                reasons.Add(Silent(m2, "mapping test II (alternate address)"));
                return MappingBehavior.Unknown;
            }

            if (m2.MappedAddress.Equals(m1.MappedAddress))
            {
                return MappingBehavior.EndpointIndependent;
            }

            if (!m3.Answered || m3.MappedAddress == null)
            {
                reasons.Add(Silent(m3, "mapping test III (alternate address and port)"));
                return MappingBehavior.Unknown;
            }

            return m3.MappedAddress.Equals(m2.MappedAddress) ? MappingBehavior.AddressDependent : MappingBehavior.AddressAndPortDependent;
        }

        private static FilteringBehavior Filtering(NatEvidence e, List<string> reasons)
        {
            var f2 = e.FilteringII;
            var f3 = e.FilteringIII;
            foreach (var test in new[] { f2, f3 })
            {
                if (test.Answered && test.ErrorCode != null)
                {
                    reasons.Add("The server refused CHANGE-REQUEST (" + test.ErrorCode + "), so filtering behaviour cannot be tested.");
                    return FilteringBehavior.NotTested;
                }
            }

            // Silence is the evidence here: the NAT dropped an answer from an address (or port) we never contacted.
            if (f2.Answered)
            {
                if (f2.ResponseSource!.Equals(e.OtherAddress))
                {
                    return FilteringBehavior.EndpointIndependent;
                }

                reasons.Add("The server answered filtering test II from " + f2.ResponseSource + " instead of its other address " + e.OtherAddress + ": it does not honour CHANGE-REQUEST.");
                return FilteringBehavior.Unknown;
            }

            if (f3.Answered)
            {
                if (f3.ResponseSource!.Equals(e.AlternatePort))
                {
                    return FilteringBehavior.AddressDependent;
                }

                reasons.Add("The server answered filtering test III from " + f3.ResponseSource + " instead of " + e.AlternatePort + ": it does not honour CHANGE-REQUEST.");
                return FilteringBehavior.Unknown;
            }

            return FilteringBehavior.AddressAndPortDependent;
        }

        private static string Silent(NatTestOutcome test, string name) =>
            "The answers were too few to decide: " + name + " to " + test.Destination + " got no usable answer after " + test.Transmissions
            + " transmissions although the server answered test I; the path is losing packets or the server's other address is unreachable.";
    }
}
