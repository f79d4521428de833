using System;
using System.Net;

namespace PSUpnp.NatPmp
{
    /// <summary>
    /// What the router granted for a mapping request, or confirmed for a deletion (external port and lifetime 0): the
    /// external port may differ from the one suggested, and the lifetime from the one asked for.
    /// </summary>
    internal sealed class NatPmpMappingAnswer
    {
        public NatPmpMappingAnswer(IPEndPoint gateway, PortMappingProtocol protocol, int internalPort, int externalPort, TimeSpan lifetime, uint epoch, NatPmpResultCode resultCode, DateTimeOffset receivedAt)
        {
            Gateway = gateway;
            Protocol = protocol;
            InternalPort = internalPort;
            ExternalPort = externalPort;
            Lifetime = lifetime;
            Epoch = epoch;
            ResultCode = resultCode;
            ReceivedAt = receivedAt;
        }

        public IPEndPoint Gateway { get; }

        public PortMappingProtocol Protocol { get; }

        public int InternalPort { get; }

        public int ExternalPort { get; }

        /// <summary>The lifetime the router granted; zero after a deletion.</summary>
        public TimeSpan Lifetime { get; }

        /// <summary>Seconds since the start of the router's epoch; compare answers with <see cref="NatPmpEpoch"/>.</summary>
        public uint Epoch { get; }

        public NatPmpResultCode ResultCode { get; }

        /// <summary>When the answer arrived, by the client's clock.</summary>
        public DateTimeOffset ReceivedAt { get; }
    }
}
