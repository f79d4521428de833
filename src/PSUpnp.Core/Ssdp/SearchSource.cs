using System.Collections.Generic;
using System.Net;
using PSUpnp.Net;

namespace PSUpnp.Ssdp
{
    /// <summary>One interface to search from: multicast on it when it can, and unicast to the gateways on its link.</summary>
    internal sealed class SearchSource
    {
        public SearchSource(LocalInterface localInterface, bool multicast, IReadOnlyList<IPEndPoint> unicastDevices)
        {
            Interface = localInterface;
            Multicast = multicast;
            UnicastDevices = unicastDevices;
        }

        public LocalInterface Interface { get; }
        public bool Multicast { get; }
        public IReadOnlyList<IPEndPoint> UnicastDevices { get; }
    }
}
