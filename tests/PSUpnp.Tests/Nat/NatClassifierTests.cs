using System.Net;
using PSUpnp.Nat;
using PSUpnp.Stun;
using Xunit;

namespace PSUpnp.Tests.Nat
{
    /// <summary>
    /// The classifier from a table: each row is one combination of test outcomes and the verdict it must give.
    /// Mapping tests: "local" (the second socket's own address came back), "A"/"B"/"C" (distinct public mappings),
    /// "nomap" (answered without a mapped address), "silent". Filtering tests: "other" / "altport" (answered from
    /// the address the CHANGE-REQUEST asked for), "elsewhere" (from any other), "error" (refused), "silent".
    /// </summary>
    public class NatClassifierTests
    {
        private static readonly IPEndPoint SecondLocal = IPEndPoint.Parse("192.168.1.10:50001");
        private static readonly IPEndPoint Primary = IPEndPoint.Parse("198.51.100.1:3478");
        private static readonly IPEndPoint Other = IPEndPoint.Parse("198.51.100.2:3479");
        private static readonly IPEndPoint AlternatePort = IPEndPoint.Parse("198.51.100.1:3479");
        private static readonly IPEndPoint AlternateIp = IPEndPoint.Parse("198.51.100.2:3478");

        [Theory]
        // Behind a NAT: the RFC 3489 names.
        [InlineData(false, "local", "silent", "silent", "other", "silent", NatType.FullCone, MappingBehavior.EndpointIndependent, FilteringBehavior.EndpointIndependent, null)]
        [InlineData(false, "A", "A", "silent", "other", "altport", NatType.FullCone, MappingBehavior.EndpointIndependent, FilteringBehavior.EndpointIndependent, null)]
        [InlineData(false, "A", "A", "silent", "silent", "altport", NatType.RestrictedCone, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressDependent, null)]
        [InlineData(false, "A", "A", "silent", "silent", "silent", NatType.PortRestrictedCone, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressAndPortDependent, null)]
        [InlineData(false, "A", "B", "B", "silent", "silent", NatType.Symmetric, MappingBehavior.AddressDependent, FilteringBehavior.AddressAndPortDependent, null)]
        [InlineData(false, "A", "B", "C", "other", "silent", NatType.Symmetric, MappingBehavior.AddressAndPortDependent, FilteringBehavior.EndpointIndependent, null)]
        // No NAT: open or a firewall.
        [InlineData(true, "local", "silent", "silent", "other", "silent", NatType.OpenInternet, MappingBehavior.EndpointIndependent, FilteringBehavior.EndpointIndependent, null)]
        [InlineData(true, "local", "silent", "silent", "silent", "altport", NatType.SymmetricUdpFirewall, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressDependent, null)]
        [InlineData(true, "local", "silent", "silent", "silent", "silent", NatType.SymmetricUdpFirewall, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressAndPortDependent, null)]
        [InlineData(true, "local", "silent", "silent", "error", "silent", NatType.Unknown, MappingBehavior.EndpointIndependent, FilteringBehavior.NotTested, "refused CHANGE-REQUEST")]
        [InlineData(true, "local", "silent", "silent", "elsewhere", "silent", NatType.Unknown, MappingBehavior.EndpointIndependent, FilteringBehavior.Unknown, "filtering test II from")]
        // Too few answers to decide the mapping: Unknown, saying which test went unanswered.
        [InlineData(false, "silent", "silent", "silent", "other", "silent", NatType.Unknown, MappingBehavior.Unknown, FilteringBehavior.EndpointIndependent, "mapping test I to")]
        [InlineData(false, "nomap", "A", "A", "other", "silent", NatType.Unknown, MappingBehavior.Unknown, FilteringBehavior.EndpointIndependent, "mapping test I to")]
        [InlineData(false, "A", "silent", "silent", "silent", "silent", NatType.Unknown, MappingBehavior.Unknown, FilteringBehavior.AddressAndPortDependent, "mapping test II (alternate address)")]
        [InlineData(false, "A", "B", "silent", "silent", "silent", NatType.Unknown, MappingBehavior.Unknown, FilteringBehavior.AddressAndPortDependent, "mapping test III (alternate address and port)")]
        // A server that refuses or ignores CHANGE-REQUEST: filtering undecided, with the reason.
        [InlineData(false, "A", "A", "silent", "error", "silent", NatType.Unknown, MappingBehavior.EndpointIndependent, FilteringBehavior.NotTested, "refused CHANGE-REQUEST")]
        [InlineData(false, "A", "A", "silent", "silent", "error", NatType.Unknown, MappingBehavior.EndpointIndependent, FilteringBehavior.NotTested, "refused CHANGE-REQUEST")]
        [InlineData(false, "A", "A", "silent", "elsewhere", "silent", NatType.Unknown, MappingBehavior.EndpointIndependent, FilteringBehavior.Unknown, "filtering test II from")]
        [InlineData(false, "A", "A", "silent", "silent", "elsewhere", NatType.Unknown, MappingBehavior.EndpointIndependent, FilteringBehavior.Unknown, "filtering test III from")]
        // A symmetric mapping is named whatever the filtering, and the undecided filtering still says why.
        [InlineData(false, "A", "B", "C", "error", "silent", NatType.Symmetric, MappingBehavior.AddressAndPortDependent, FilteringBehavior.NotTested, "refused CHANGE-REQUEST")]
        public void EachCombinationOfOutcomesGivesItsVerdict(
            bool isDirect, string m1, string m2, string m3, string f2, string f3, NatType expected, MappingBehavior expectedMapping, FilteringBehavior expectedFiltering, string? reasonContains)
        {
            var evidence = new NatEvidence(
                isDirect,
                SecondLocal,
                Other,
                AlternatePort,
                Mapping(NatTest.MappingTestI, Primary, m1),
                Mapping(NatTest.MappingTestII, AlternateIp, m2),
                Mapping(NatTest.MappingTestIII, Other, m3),
                Filtering(NatTest.FilteringTestII, f2, Other),
                Filtering(NatTest.FilteringTestIII, f3, AlternatePort));

            var verdict = NatClassifier.Classify(evidence);

            Assert.Equal((expected, expectedMapping, expectedFiltering), (verdict.NatType, verdict.Mapping, verdict.Filtering));
            if (reasonContains == null)
            {
                Assert.Null(verdict.Reason);
            }
            else
            {
                Assert.Contains(reasonContains, verdict.Reason);
            }
        }

        private static NatTestOutcome Mapping(NatTest test, IPEndPoint destination, string code) => code switch
        {
            "silent" => new NatTestOutcome(test, SecondLocal, destination, false, null, null, null, 7),
            "nomap" => new NatTestOutcome(test, SecondLocal, destination, true, destination, null, null, 1),
            "local" => new NatTestOutcome(test, SecondLocal, destination, true, destination, SecondLocal, null, 1),
            "A" => Mapped(test, destination, 40001),
            "B" => Mapped(test, destination, 40002),
            "C" => Mapped(test, destination, 40003),
            _ => throw new System.ArgumentException("Unknown mapping outcome code '" + code + "' in the table.", nameof(code)),
        };

        private static NatTestOutcome Mapped(NatTest test, IPEndPoint destination, int publicPort) =>
            new NatTestOutcome(test, SecondLocal, destination, true, destination, new IPEndPoint(IPAddress.Parse("203.0.113.5"), publicPort), null, 1);

        private static NatTestOutcome Filtering(NatTest test, string code, IPEndPoint askedFor) => code switch
        {
            "silent" => new NatTestOutcome(test, SecondLocal, Primary, false, null, null, null, 7),
            "error" => new NatTestOutcome(test, SecondLocal, Primary, true, Primary, null, new StunErrorCode(420, "Unknown Attribute"), 1),
            "elsewhere" => new NatTestOutcome(test, SecondLocal, Primary, true, Primary, IPEndPoint.Parse("203.0.113.5:40001"), null, 1),
            "other" or "altport" => new NatTestOutcome(test, SecondLocal, Primary, true, askedFor, IPEndPoint.Parse("203.0.113.5:40001"), null, 1),
            _ => throw new System.ArgumentException("Unknown filtering outcome code '" + code + "' in the table.", nameof(code)),
        };
    }
}
