using System;
using System.Net;

namespace PSUpnp.Stun
{
    /// <summary>How one STUN transaction ended: the answer and where it came from, or silence after the whole schedule.</summary>
    internal sealed class StunTransactionResult
    {
        internal StunTransactionResult(StunMessage request, IPEndPoint destination, StunMessage? response, IPEndPoint? responseSource, int transmissions, TimeSpan? roundTripTime)
        {
            Request = request;
            Destination = destination;
            Response = response;
            ResponseSource = responseSource;
            Transmissions = transmissions;
            RoundTripTime = roundTripTime;
        }

        public StunMessage Request { get; }

        public IPEndPoint Destination { get; }

        /// <summary>Null when no acceptable answer came before the schedule ran out.</summary>
        public StunMessage? Response { get; }

        public IPEndPoint? ResponseSource { get; }

        public bool Answered => Response != null;

        /// <summary>How many times the request was sent.</summary>
        public int Transmissions { get; }

        /// <summary>The round trip, from the send to the answer's arrival on the socket (decoding it is not counted),
        /// only when the first transmission was answered (Karn's rule: a retransmitted request gives no unambiguous sample).</summary>
        public TimeSpan? RoundTripTime { get; }
    }
}
