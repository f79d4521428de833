using System;
using System.Threading;

namespace PSUpnp.Net
{
    /// <summary>
    /// How one exchange with a device survives a lossy network, always inside <see cref="HttpLimits.Timeout"/>.
    /// Two mechanisms, neither of which delays an exchange that goes well:
    /// <list type="bullet">
    /// <item>Connection attempts overlap: when no connection is up after <see cref="ConnectAttemptDelay"/>, another
    /// starts beside the first (as RFC 8305 staggers attempts), and the first to connect wins. A lost SYN or SYN-ACK
    /// then costs that delay instead of the kernel's retransmission after 1 s and again after 3 s. No request byte has
    /// left before a connection is up, so this is safe for any request.</item>
    /// <item>The request is sent again, on a new connection, when the device closes the connection without a complete
    /// answer or stays silent for <see cref="ResponseWait"/> (doubled for each further send). The old connection is
    /// closed first, so two copies are never in flight together. A resent request may reach the device twice; the
    /// caller decides whether its action allows that (see <see cref="WithoutResend"/>).</item>
    /// </list>
    /// </summary>
    public sealed class HttpRetryPolicy
    {
        /// <summary>
        /// 250 ms between connection attempts (RFC 8305's recommended Connection Attempt Delay), at most 8 of them; the
        /// request sent at most 3 times, resent after 1 s and then 2 s without a byte of answer. A device on the LAN
        /// answers in milliseconds; TCP itself retransmits a lost segment after about 200 ms, so a second send only
        /// serves when a connection has really stalled or died.
        /// </summary>
        public static readonly HttpRetryPolicy Default = new HttpRetryPolicy(TimeSpan.FromMilliseconds(250), 8, TimeSpan.FromSeconds(1), 3);

        /// <summary>One connection attempt, one send: what the exchange did before retries existed.</summary>
        public static readonly HttpRetryPolicy None = new HttpRetryPolicy(Timeout.InfiniteTimeSpan, 1, Timeout.InfiniteTimeSpan, 1);

        public HttpRetryPolicy(TimeSpan connectAttemptDelay, int maxConnectAttempts, TimeSpan responseWait, int maxSends)
        {
            if (maxConnectAttempts < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maxConnectAttempts), maxConnectAttempts, "At least one connection attempt is needed.");
            }

            if (maxSends < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maxSends), maxSends, "At least one send is needed.");
            }

            if (maxConnectAttempts > 1 && connectAttemptDelay <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(connectAttemptDelay), connectAttemptDelay, "Overlapping connection attempts need a positive delay between them.");
            }

            if (maxSends > 1 && responseWait <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(responseWait), responseWait, "Resending needs a positive wait for the answer.");
            }

            ConnectAttemptDelay = connectAttemptDelay;
            MaxConnectAttempts = maxConnectAttempts;
            ResponseWait = responseWait;
            MaxSends = maxSends;
        }

        /// <summary>How long a connection attempt runs alone before the next one starts beside it.</summary>
        public TimeSpan ConnectAttemptDelay { get; }

        /// <summary>How many connection attempts one send may start.</summary>
        public int MaxConnectAttempts { get; }

        /// <summary>Silence (no byte of answer) after which the first send is abandoned and the request sent again.</summary>
        public TimeSpan ResponseWait { get; }

        /// <summary>How many times the request may be sent; 1 means never resent.</summary>
        public int MaxSends { get; }

        /// <summary>The same connection attempts, but the request is sent once only: for an action that must not reach the device twice.</summary>
        public HttpRetryPolicy WithoutResend() =>
            MaxSends == 1 ? this : new HttpRetryPolicy(ConnectAttemptDelay, MaxConnectAttempts, Timeout.InfiniteTimeSpan, 1);

        /// <summary>The silence allowed to send number <paramref name="send"/> (1-based) before the next; infinite for the last.</summary>
        internal TimeSpan WaitBeforeResend(int send)
        {
            if (send >= MaxSends)
            {
                return Timeout.InfiniteTimeSpan;
            }

            var ticks = ResponseWait.Ticks;
            for (var i = 1; i < send && ticks < TimeSpan.MaxValue.Ticks / 2; i++)
            {
                ticks *= 2;
            }

            return TimeSpan.FromTicks(ticks);
        }
    }
}
