using System;

namespace PSUpnp.Pcp
{
    /// <summary>
    /// RFC 6887 section 8.5: whether the server lost its state (restarted, or lost its external address) between two
    /// answers. The epoch may not go back by more than a second, and the server's and the client's elapsed times must
    /// agree within 2 seconds plus 1/16 of either; otherwise the client must create its mappings again.
    /// </summary>
    internal static class PcpEpoch
    {
        public static bool MappingsLost(uint previousEpoch, DateTimeOffset previousReceivedAt, uint currentEpoch, DateTimeOffset currentReceivedAt)
        {
            if ((long)currentEpoch + 1 < previousEpoch)
            {
                return true;
            }

            var clientDelta = Math.Max(0, (currentReceivedAt - previousReceivedAt).TotalSeconds);
            var serverDelta = (double)((long)currentEpoch - previousEpoch);
            return clientDelta + 2 < serverDelta - (serverDelta / 16) || serverDelta + 2 < clientDelta - (clientDelta / 16);
        }
    }
}
