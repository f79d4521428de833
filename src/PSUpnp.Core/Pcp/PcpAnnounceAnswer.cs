using System;
using System.Net;

namespace PSUpnp.Pcp
{
    /// <summary>A PCP server's answer to ANNOUNCE: it speaks PCP version 2, and its epoch when it answered.</summary>
    internal sealed class PcpAnnounceAnswer
    {
        public PcpAnnounceAnswer(IPEndPoint server, uint epoch, PcpResultCode resultCode, DateTimeOffset receivedAt)
        {
            Server = server;
            Epoch = epoch;
            ResultCode = resultCode;
            ReceivedAt = receivedAt;
        }

        public IPEndPoint Server { get; }

        /// <summary>The server's epoch in seconds; compare answers with <see cref="PcpEpoch"/>.</summary>
        public uint Epoch { get; }

        public PcpResultCode ResultCode { get; }

        /// <summary>When the answer arrived, by the client's clock.</summary>
        public DateTimeOffset ReceivedAt { get; }
    }
}
