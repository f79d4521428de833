using System;
using System.Net;

namespace PSUpnp.NatPmp
{
    /// <summary>The router's external IPv4 address as NAT-PMP reported it, with the router's epoch when it answered.</summary>
    internal sealed class NatPmpExternalAddressAnswer
    {
        public NatPmpExternalAddressAnswer(IPEndPoint gateway, IPAddress externalAddress, uint epoch, NatPmpResultCode resultCode, DateTimeOffset receivedAt)
        {
            Gateway = gateway;
            ExternalAddress = externalAddress;
            Epoch = epoch;
            ResultCode = resultCode;
            ReceivedAt = receivedAt;
        }

        public IPEndPoint Gateway { get; }

        /// <summary>0.0.0.0 when the router has no external address yet (RFC 6886 section 3.2).</summary>
        public IPAddress ExternalAddress { get; }

        /// <summary>Seconds since the start of the router's epoch; compare answers with <see cref="NatPmpEpoch"/>.</summary>
        public uint Epoch { get; }

        public NatPmpResultCode ResultCode { get; }

        /// <summary>When the answer arrived, by the client's clock (what the epoch check compares the epochs with).</summary>
        public DateTimeOffset ReceivedAt { get; }
    }
}
