using System.Net;
using PSUpnp.Stun;

namespace PSUpnp.Nat
{
    /// <summary>What one RFC 5780 test saw: where it asked, whether and from where the answer came, the mapping it reported.</summary>
    public sealed class NatTestOutcome
    {
        internal NatTestOutcome(NatTest test, IPEndPoint localEndPoint, StunTransactionResult result)
            : this(test, localEndPoint, result.Destination, result.Answered, result.ResponseSource, result.Response?.ReflexiveAddress, result.Response?.Error, result.Transmissions)
        {
        }

        /// <summary>An outcome as the classifier's table tests describe it, without a transaction.</summary>
        internal NatTestOutcome(NatTest test, IPEndPoint localEndPoint, IPEndPoint destination, bool answered, IPEndPoint? responseSource, IPEndPoint? mappedAddress, StunErrorCode? errorCode, int transmissions)
        {
            Test = test;
            LocalEndPoint = localEndPoint;
            Destination = destination;
            Answered = answered;
            ResponseSource = responseSource;
            MappedAddress = mappedAddress;
            ErrorCode = errorCode;
            Transmissions = transmissions;
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
