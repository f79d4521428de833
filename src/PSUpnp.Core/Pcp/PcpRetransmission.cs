using System;
using System.Collections.Generic;

namespace PSUpnp.Pcp
{
    /// <summary>
    /// RFC 6887 section 8.1.1: the first wait is IRT (3 s), each next one twice the last, capped at MRT (1024 s), each
    /// multiplied by 1 + RAND with RAND uniform in [-0.1, +0.1]; MRC and MRD are 0, so the schedule never ends by
    /// itself. The caller's timeout ends it.
    /// </summary>
    internal static class PcpRetransmission
    {
        public static readonly TimeSpan InitialTimeout = TimeSpan.FromSeconds(3);
        public static readonly TimeSpan MaximumTimeout = TimeSpan.FromSeconds(1024);

        /// <param name="random">The source of RAND (jitter, not security: a seeded one in tests).</param>
        public static IEnumerable<TimeSpan> Waits(Random random)
        {
            var previous = TimeSpan.Zero;
            while (true)
            {
                var basis = previous == TimeSpan.Zero
                    ? InitialTimeout
                    : TimeSpan.FromTicks(Math.Min(previous.Ticks * 2, MaximumTimeout.Ticks));
                var jitter = (random.NextDouble() * 0.2) - 0.1;
                previous = TimeSpan.FromTicks((long)(basis.Ticks * (1 + jitter)));
                yield return previous;
            }
        }
    }
}
