using System;
using System.Collections.Generic;

namespace PSUpnp.Stun
{
    /// <summary>
    /// When a request is sent again (RFC 8489 section 6.2.1): at 0, RTO, 3 RTO, 7 RTO, ... (the wait doubles, up to
    /// <see cref="MaxRto"/> when set), at most <see cref="MaxTransmissions"/> times (Rc), and after the last one the
    /// client waits <see cref="LastWaitFactor"/> (Rm) times the initial RTO before it calls the server silent.
    /// </summary>
    internal sealed class StunRetransmissionPolicy
    {
        /// <summary>The floor of an RTO derived from a measured round trip: below it, scheduling jitter dominates.</summary>
        public static readonly TimeSpan MinimumAdaptedRto = TimeSpan.FromMilliseconds(20);

        public StunRetransmissionPolicy(TimeSpan initialRto, int maxTransmissions, int lastWaitFactor, TimeSpan? maxRto = null)
        {
            if (initialRto <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(initialRto), "The initial RTO must be positive.");
            }

            if (maxTransmissions < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maxTransmissions), "At least one transmission is needed.");
            }

            if (lastWaitFactor < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(lastWaitFactor), "Rm must be at least 1.");
            }

            if (maxRto.HasValue && maxRto.Value < initialRto)
            {
                throw new ArgumentOutOfRangeException(nameof(maxRto), "The RTO cap cannot be below the initial RTO.");
            }

            InitialRto = initialRto;
            MaxTransmissions = maxTransmissions;
            LastWaitFactor = lastWaitFactor;
            MaxRto = maxRto;
        }

        /// <summary>RFC 8489's defaults: RTO 500 ms, Rc 7, Rm 16 (39.5 s before a server is declared silent).</summary>
        public static StunRetransmissionPolicy Rfc8489 { get; } = new StunRetransmissionPolicy(TimeSpan.FromMilliseconds(500), 7, 16);

        /// <summary>
        /// Behaviour discovery's default before any round trip is known: 8 transmissions at 0, 50, 150, 350, 550, 750,
        /// 950 and 1150 ms, silent at 1300 ms. In a NAT test silence is an answer (the filter dropped it), so the
        /// schedule trades RFC 8489's long tail for many copies: with 30% loss each way a transmission fails 51% of the
        /// time, and all 8 fail 0.5% of the time; discovery re-asks silent tests when it saw loss, and asks test I in
        /// two rounds at twice this pace.
        /// </summary>
        public static StunRetransmissionPolicy NatDiscovery { get; } =
            new StunRetransmissionPolicy(TimeSpan.FromMilliseconds(50), 8, 3, TimeSpan.FromMilliseconds(200));

        public TimeSpan InitialRto { get; }

        /// <summary>Rc: how many times the request is sent at most.</summary>
        public int MaxTransmissions { get; }

        /// <summary>Rm: after the last transmission the client waits Rm times the initial RTO.</summary>
        public int LastWaitFactor { get; }

        /// <summary>The cap on the doubling RTO; null doubles without limit as RFC 8489 does.</summary>
        public TimeSpan? MaxRto { get; }

        /// <summary>The wait after each transmission, in order; their sum is how long a silent server costs.</summary>
        public IReadOnlyList<TimeSpan> Waits
        {
            get
            {
                var waits = new List<TimeSpan>(MaxTransmissions);
                var rto = InitialRto;
                for (var i = 0; i < MaxTransmissions - 1; i++)
                {
                    waits.Add(rto);
                    rto = TimeSpan.FromTicks(rto.Ticks * 2);
                    if (MaxRto.HasValue && rto > MaxRto.Value)
                    {
                        rto = MaxRto.Value;
                    }
                }

                waits.Add(TimeSpan.FromTicks(InitialRto.Ticks * LastWaitFactor));
                return waits;
            }
        }

        /// <summary>How long a transaction lasts when no answer ever comes.</summary>
        public TimeSpan TotalDuration
        {
            get
            {
                var total = TimeSpan.Zero;
                foreach (var wait in Waits)
                {
                    total += wait;
                }

                return total;
            }
        }

        /// <summary>The same schedule stretched or shrunk so that a silent server costs <paramref name="total"/>.</summary>
        public StunRetransmissionPolicy ScaledTo(TimeSpan total)
        {
            if (total <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(total), "The timeout must be positive.");
            }

            var factor = (double)total.Ticks / TotalDuration.Ticks;
            return new StunRetransmissionPolicy(
                TimeSpan.FromTicks(Math.Max(1, (long)(InitialRto.Ticks * factor))),
                MaxTransmissions,
                LastWaitFactor,
                MaxRto.HasValue ? TimeSpan.FromTicks(Math.Max(1, (long)(MaxRto.Value.Ticks * factor))) : (TimeSpan?)null);
        }

        /// <summary>
        /// The schedule for further requests to a server whose round trip was measured (RFC 8489 lets RTO follow the
        /// measured RTT): the initial RTO becomes three round trips, at least <see cref="MinimumAdaptedRto"/>, with the
        /// same count, Rm and cap ratio. On a fast path this makes a silent test cost a fraction of the default.
        /// </summary>
        public StunRetransmissionPolicy AdaptedTo(TimeSpan roundTrip)
        {
            var rto = TimeSpan.FromTicks(Math.Max(MinimumAdaptedRto.Ticks, roundTrip.Ticks * 3));
            TimeSpan? cap = null;
            if (MaxRto.HasValue)
            {
                cap = TimeSpan.FromTicks((long)(rto.Ticks * ((double)MaxRto.Value.Ticks / InitialRto.Ticks)));
            }

            return new StunRetransmissionPolicy(rto, MaxTransmissions, LastWaitFactor, cap);
        }

        public override string ToString() => string.Format(
            System.Globalization.CultureInfo.InvariantCulture,
            "RTO {0} ms, Rc {1}, Rm {2}{3}",
            InitialRto.TotalMilliseconds,
            MaxTransmissions,
            LastWaitFactor,
            MaxRto.HasValue ? ", cap " + MaxRto.Value.TotalMilliseconds + " ms" : string.Empty);
    }
}
