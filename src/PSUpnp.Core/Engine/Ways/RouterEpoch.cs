using System;
using System.Collections.Generic;
using System.Net;

namespace PSUpnp.Engine.Ways
{
    /// <summary>
    /// A PCP or NAT-PMP router's epoch (seconds since it started, or since it lost its mappings): one that goes backwards
    /// between two answers means the router restarted and forgot every mapping. The checks are the RFCs' own, so a
    /// router's clock drifting a little is not taken for a restart.
    /// </summary>
    internal static class RouterEpoch
    {
        /// <summary>True when the second answer shows the router lost its state since the first.</summary>
        /// <param name="method">PCP (RFC 6887 section 8.5) or NAT-PMP (RFC 6886 section 3.6).</param>
        /// <param name="previousEpoch">The epoch of the earlier answer.</param>
        /// <param name="currentEpoch">The epoch of this answer.</param>
        /// <param name="previousAt">When the earlier answer arrived, by this host's clock.</param>
        /// <param name="currentAt">When this answer arrived.</param>
        public static bool Restarted(PortMappingMethod method, uint previousEpoch, DateTimeOffset previousAt, uint currentEpoch, DateTimeOffset currentAt)
        {
            if (method == PortMappingMethod.NatPmp)
            {
                return NatPmp.NatPmpEpoch.MappingsLost(previousEpoch, previousAt, currentEpoch, currentAt);
            }

            var client = Math.Max(0, (currentAt - previousAt).TotalSeconds);
            var server = (double)currentEpoch - previousEpoch;

            // RFC 6887 8.5: the epoch went back more than 2 s, or the two clocks disagree by more than 1/16 plus 2 s.
            return currentEpoch + 2.0 < previousEpoch
                || client + 2 < server - server / 16
                || server + 2 < client - client / 16;
        }
    }

    /// <summary>
    /// The session's last epoch of each router and way, to see a restart between two calls. Kept beside the gateway
    /// cache (<see cref="Igd.GatewayCache.Epochs"/>), thread-safe, one entry per router address and way.
    /// </summary>
    internal sealed class EpochBook
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, (uint Epoch, DateTimeOffset At)> _seen = new Dictionary<string, (uint, DateTimeOffset)>(StringComparer.Ordinal);

        /// <summary>Records this answer's epoch; true when, against the last one recorded this session, the router restarted.</summary>
        public bool Observe(IPAddress router, PortMappingMethod method, uint epoch, DateTimeOffset now)
        {
            var key = method + " " + router;
            lock (_gate)
            {
                var restarted = _seen.TryGetValue(key, out var last) && RouterEpoch.Restarted(method, last.Epoch, last.At, epoch, now);
                _seen[key] = (epoch, now);
                return restarted;
            }
        }
    }
}
