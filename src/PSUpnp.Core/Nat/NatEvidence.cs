using System.Net;

namespace PSUpnp.Nat
{
    /// <summary>
    /// The RFC 5780 tests' outcomes, as behaviour discovery hands them to <see cref="NatClassifier"/>: the mapping
    /// tests ran on a second socket bound at <see cref="SecondLocal"/>, the filtering tests on the first one.
    /// </summary>
    internal sealed class NatEvidence
    {
        public NatEvidence(
            bool isDirect,
            IPEndPoint secondLocal,
            IPEndPoint otherAddress,
            IPEndPoint alternatePort,
            NatTestOutcome mappingI,
            NatTestOutcome mappingII,
            NatTestOutcome mappingIII,
            NatTestOutcome filteringII,
            NatTestOutcome filteringIII)
        {
            IsDirect = isDirect;
            SecondLocal = secondLocal;
            OtherAddress = otherAddress;
            AlternatePort = alternatePort;
            MappingI = mappingI;
            MappingII = mappingII;
            MappingIII = mappingIII;
            FilteringII = filteringII;
            FilteringIII = filteringIII;
        }

        /// <summary>Test I saw our own local address and port: no NAT in between.</summary>
        public bool IsDirect { get; }

        public IPEndPoint SecondLocal { get; }

        /// <summary>The server's OTHER-ADDRESS: where filtering test II's answer must come from.</summary>
        public IPEndPoint OtherAddress { get; }

        /// <summary>The primary address with the other port: where filtering test III's answer must come from.</summary>
        public IPEndPoint AlternatePort { get; }

        public NatTestOutcome MappingI { get; }

        public NatTestOutcome MappingII { get; }

        public NatTestOutcome MappingIII { get; }

        public NatTestOutcome FilteringII { get; }

        public NatTestOutcome FilteringIII { get; }
    }
}
