using System;
using System.Collections.Generic;
using System.Net;

namespace PSUpnp.Engine.Ways
{
    /// <summary>
    /// The session's last epoch (seconds since the router started or lost its mappings) of each router and way, to see
    /// a restart between two calls. Kept beside the gateway cache (<see cref="Igd.GatewayCache.Epochs"/>), thread-safe,
    /// one entry per router address and way.
    /// </summary>
    internal sealed class EpochBook
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, (uint Epoch, DateTimeOffset At)> _seen = new Dictionary<string, (uint, DateTimeOffset)>(StringComparer.Ordinal);

        /// <summary>
        /// Records this answer's epoch; true when, against the last one recorded this session, the router restarted:
        /// the RFCs' own checks (RFC 6887 8.5, RFC 6886 3.6), so a router's clock drifting a little is not a restart.
        /// </summary>
        public bool Observe(IPAddress router, PortMappingMethod method, uint epoch, DateTimeOffset now)
        {
            var key = method + " " + router;
            lock (_gate)
            {
                var restarted = _seen.TryGetValue(key, out var last) && (method == PortMappingMethod.Pcp
                    ? Pcp.PcpEpoch.MappingsLost(last.Epoch, last.At, epoch, now)
                    : NatPmp.NatPmpEpoch.MappingsLost(last.Epoch, last.At, epoch, now));
                _seen[key] = (epoch, now);
                return restarted;
            }
        }
    }
}
