using System.Net;

namespace PSUpnp.Stun
{
    /// <summary>What one RFC 5780 test saw: where it asked, whether and from where the answer came, the mapping it reported.</summary>
    public sealed class NatTestOutcome
    {
        internal NatTestOutcome(NatTest test, IPEndPoint localEndPoint, StunTransactionResult result)
        {
            Test = test;
            LocalEndPoint = localEndPoint;
            Destination = result.Destination;
            Answered = result.Answered;
            ResponseSource = result.ResponseSource;
            MappedAddress = result.Response?.ReflexiveAddress;
            ErrorCode = result.Response?.Error;
            Transmissions = result.Transmissions;
        }

        public NatTest Test { get; }

        public IPEndPoint LocalEndPoint { get; }

        public IPEndPoint Destination { get; }

        public bool Answered { get; }

        public IPEndPoint? ResponseSource { get; }

        public IPEndPoint? MappedAddress { get; }

        public StunErrorCode? ErrorCode { get; }

        public int Transmissions { get; }

        public override string ToString() => Test + " -> " + Destination + ": " + (Answered ? "answered by " + ResponseSource + (MappedAddress != null ? ", mapped " + MappedAddress : string.Empty) : "no answer") + " (" + Transmissions + " sent)";
    }
}
