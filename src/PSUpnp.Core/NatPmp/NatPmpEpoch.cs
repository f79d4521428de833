using System;

namespace PSUpnp.NatPmp
{
    /// <summary>
    /// RFC 6886 section 3.6: the router's seconds-since-start-of-epoch must advance with time. The client expects at
    /// least the previous epoch plus 7/8 of the time its own clock saw pass (routers' clocks may run slow); an epoch
    /// more than 2 seconds below that means the router restarted or otherwise lost its mappings, which the client must
    /// then create again.
    /// </summary>
    internal static class NatPmpEpoch
    {
        private const double SlackSeconds = 2;

        public static bool MappingsLost(uint previousEpoch, DateTimeOffset previousReceivedAt, uint currentEpoch, DateTimeOffset currentReceivedAt)
        {
            // A local clock that went back (or the same instant) counts as no time passed: the epoch must then not go back.
            var elapsed = Math.Max(0, (currentReceivedAt - previousReceivedAt).TotalSeconds);
            var expected = previousEpoch + (elapsed * 7 / 8);
            return currentEpoch < expected - SlackSeconds;
        }
    }
}
