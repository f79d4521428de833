using System;
using System.Net;
using PSUpnp.Net;

namespace PSUpnp.Ssdp
{
    /// <summary>A gateway search response, with where it came from and which local interface received it.</summary>
    internal sealed class SsdpAnswer
    {
        public SsdpAnswer(SsdpMessage message, IPEndPoint sender, LocalInterface receivedOn, DateTimeOffset receivedAt)
        {
            Message = message;
            Sender = sender;
            ReceivedOn = receivedOn;
            ReceivedAt = receivedAt;
        }

        public SsdpMessage Message { get; }
        public IPEndPoint Sender { get; }
        public LocalInterface ReceivedOn { get; }
        public DateTimeOffset ReceivedAt { get; }
    }
}
