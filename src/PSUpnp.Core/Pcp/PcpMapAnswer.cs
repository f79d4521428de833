using System;
using System.Collections.Generic;
using System.Net;

namespace PSUpnp.Pcp
{
    /// <summary>
    /// What the router granted for a MAP, or confirmed for a deletion (lifetime 0): the external port and address may
    /// differ from those suggested, the lifetime from the one asked for. <see cref="Nonce"/> is the mapping's: a
    /// renewal or deletion must send it again.
    /// </summary>
    internal sealed class PcpMapAnswer
    {
        public PcpMapAnswer(
            IPEndPoint server,
            PortMappingProtocol protocol,
            IPAddress internalAddress,
            int internalPort,
            IPAddress externalAddress,
            int externalPort,
            TimeSpan lifetime,
            uint epoch,
            PcpResultCode resultCode,
            PcpNonce nonce,
            IReadOnlyList<PcpOption> options,
            DateTimeOffset receivedAt)
        {
            Server = server;
            Protocol = protocol;
            InternalAddress = internalAddress;
            InternalPort = internalPort;
            ExternalAddress = externalAddress;
            ExternalPort = externalPort;
            Lifetime = lifetime;
            Epoch = epoch;
            ResultCode = resultCode;
            Nonce = nonce;
            Options = options;
            ReceivedAt = receivedAt;
        }

        public IPEndPoint Server { get; }

        public PortMappingProtocol Protocol { get; }

        /// <summary>The address the mapping forwards to: the sender's, or the THIRD_PARTY option's.</summary>
        public IPAddress InternalAddress { get; }

        public int InternalPort { get; }

        /// <summary>The assigned external address (IPv4 for a NAT mapping, IPv6 for a pinhole).</summary>
        public IPAddress ExternalAddress { get; }

        public int ExternalPort { get; }

        /// <summary>The lifetime the router granted; zero after a deletion.</summary>
        public TimeSpan Lifetime { get; }

        /// <summary>The server's epoch in seconds; compare answers with <see cref="PcpEpoch"/>.</summary>
        public uint Epoch { get; }

        public PcpResultCode ResultCode { get; }

        public PcpNonce Nonce { get; }

        /// <summary>The options the answer carried (a server echoes those it processed).</summary>
        public IReadOnlyList<PcpOption> Options { get; }

        /// <summary>When the answer arrived, by the client's clock.</summary>
        public DateTimeOffset ReceivedAt { get; }
    }
}
