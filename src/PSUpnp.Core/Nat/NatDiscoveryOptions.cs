using System;
using System.Collections.Generic;
using System.Net;
using PSUpnp.Stun;

namespace PSUpnp.Nat
{
    /// <summary>What behaviour discovery needs: the servers, where to bind, how long to wait, where to report.</summary>
    internal sealed class NatDiscoveryOptions
    {
        /// <summary>
        /// Public servers that answered with OTHER-ADDRESS and honoured CHANGE-REQUEST in the always-online-stun
        /// project's hourly NAT-testing check; for the cmdlet's default only, never contacted by the tests.
        /// </summary>
        public static IReadOnlyList<string> DefaultServers { get; } = new[]
        {
            "stun.hot-chilli.net:3478",
            "stun.voipgate.com:3478",
            "stun.nextcloud.com:3478",
            "stun.freeswitch.org:3478",
        };

        /// <summary>host[:port] entries, tried together; the first that supports RFC 5780 is used.</summary>
        public IList<string> Servers { get; set; } = new List<string>();

        /// <summary>The local address to bind; null binds every address and lets routing choose.</summary>
        public IPAddress? LocalAddress { get; set; }

        /// <summary>The local port of the main socket; 0 lets the system choose.</summary>
        public int LocalPort { get; set; }

        /// <summary>How long one test waits for an answer before it counts as silent; null keeps
        /// <see cref="Retransmission"/>'s own schedule (1.3 s by default).</summary>
        public TimeSpan? Timeout { get; set; }

        public StunRetransmissionPolicy Retransmission { get; set; } = StunRetransmissionPolicy.NatDiscovery;

        /// <summary>
        /// After test I, shorten the schedule to the measured round trip (<see cref="StunRetransmissionPolicy.AdaptedTo"/>);
        /// false keeps <see cref="Retransmission"/> for every test.
        /// </summary>
        public bool AdaptToRoundTrip { get; set; } = true;

        /// <summary>Set false to skip the hairpinning test.</summary>
        public bool TestHairpinning { get; set; } = true;

        public ITraceSink Trace { get; set; } = NullTraceSink.Instance;

        /// <summary>Called from worker threads as each test starts and ends.</summary>
        public IProgress<NatTestProgress>? Progress { get; set; }
    }
}
