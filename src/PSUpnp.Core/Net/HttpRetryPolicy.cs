using System;
using System.Threading;

namespace PSUpnp.Net
{
    /// <summary>
    /// How one exchange with a device survives a lossy network, always inside <see cref="HttpLimits.Timeout"/>.
    /// Two mechanisms, neither of which delays an exchange that goes well:
    /// <list type="bullet">
    /// <item>Connection attempts overlap: when no connection is up after <see cref="ConnectAttemptDelay"/>, another
    /// starts beside the pending ones (as RFC 8305 staggers attempts), and the first to connect wins. A lost SYN or
    /// SYN-ACK then costs that delay instead of the kernel's retransmission after 1 s and again after 3 s. An attempt
    /// still pending after <see cref="ConnectAttemptLifetime"/> is closed before its SYN would be retransmitted: a
    /// connection whose handshake was retransmitted has no round-trip sample, so both ends start it with a 3 s
    /// retransmission timeout (RFC 6298 section 5.7), and one lost segment of the exchange would then cost 3 s.
    /// No request byte leaves before a connection is up, so all this is safe for any request.</item>
    /// <item>The request is sent again, on a new connection, when the device closes the connection without a complete
    /// answer or leaves it silent for <see cref="ResponseWait"/>; the last send waits for the exchange's bound. How
    /// depends on <see cref="Resend"/>: a query goes again beside the earlier copies, which keep running; a request sent
    /// AfterClosing goes again only after the earlier connection is closed, so that two copies are never in flight
    /// together and none can arrive after the caller has moved on (an add, a delete: a second copy changes nothing more,
    /// and its 718 or 714 is recognised).</item>
    /// </list>
    /// </summary>
    internal sealed class HttpRetryPolicy
    {
        /// <summary>
        /// A connection attempt every 100 ms (RFC 8305's lowest recommended Connection Attempt Delay; a LAN device
        /// answers a SYN within milliseconds), each closed after 800 ms (before the kernel's first SYN retransmission
        /// at 1 s), 20 at most; the request sent at most 3 times, again after each 1 s without a byte of answer (a query's
        /// overlapping copies after 0.5 s). A device that takes longer than that to act is still answered: the third send
        /// waits for the whole bound.
        /// TCP itself resends a lost segment of an established connection after about 200 ms, so a second send only
        /// serves when a connection has really stalled or died.
        /// </summary>
        public static readonly HttpRetryPolicy Default = new HttpRetryPolicy(
            TimeSpan.FromMilliseconds(100), 20, TimeSpan.FromSeconds(1), 3, TimeSpan.FromMilliseconds(800));

        /// <summary>One connection attempt, one send: what the exchange did before retries existed.</summary>
        public static readonly HttpRetryPolicy None = new HttpRetryPolicy(Timeout.InfiniteTimeSpan, 1, Timeout.InfiniteTimeSpan, 1);

        private HttpRetryPolicy(HttpRetryPolicy other, HttpResend resend)
        {
            ConnectAttemptDelay = other.ConnectAttemptDelay;
            MaxConnectAttempts = other.MaxConnectAttempts;
            ConnectAttemptLifetime = other.ConnectAttemptLifetime;
            ResponseWait = other.ResponseWait;
            MaxSends = resend == HttpResend.Never ? 1 : other.MaxSends;
            Resend = resend;
        }

        /// <param name="connectAttemptDelay">How long a connection attempt runs alone before the next starts beside it.</param>
        /// <param name="maxConnectAttempts">How many connection attempts one send may start.</param>
        /// <param name="responseWait">Silence after which a send other than the last is abandoned and the request sent again.</param>
        /// <param name="maxSends">How many times the request may be sent; 1 means never resent.</param>
        /// <param name="connectAttemptLifetime">
        /// How long an attempt may stay pending while further attempts can still start; null: until the exchange's bound.
        /// </param>
        public HttpRetryPolicy(TimeSpan connectAttemptDelay, int maxConnectAttempts, TimeSpan responseWait, int maxSends, TimeSpan? connectAttemptLifetime = null)
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

            if (connectAttemptLifetime.HasValue && connectAttemptLifetime.Value <= connectAttemptDelay)
            {
                throw new ArgumentOutOfRangeException(nameof(connectAttemptLifetime), connectAttemptLifetime, "An attempt must live longer than the delay before the next.");
            }

            ConnectAttemptDelay = connectAttemptDelay;
            MaxConnectAttempts = maxConnectAttempts;
            ResponseWait = responseWait;
            MaxSends = maxSends;
            ConnectAttemptLifetime = connectAttemptLifetime ?? Timeout.InfiniteTimeSpan;
            Resend = maxSends == 1 ? HttpResend.Never : HttpResend.AfterClosing;
        }

        /// <summary>How long a connection attempt runs alone before the next one starts beside it.</summary>
        public TimeSpan ConnectAttemptDelay { get; }

        /// <summary>How many connection attempts one send may start.</summary>
        public int MaxConnectAttempts { get; }

        /// <summary>
        /// How long an attempt may stay pending while further attempts can still start (infinite: no limit). The last
        /// attempts, once <see cref="MaxConnectAttempts"/> have started, wait until the exchange's bound.
        /// </summary>
        public TimeSpan ConnectAttemptLifetime { get; }

        /// <summary>Silence (no byte of answer) after which a send other than the last is abandoned and the request sent again.</summary>
        public TimeSpan ResponseWait { get; }

        /// <summary>How many times the request may be sent; 1 means never resent.</summary>
        public int MaxSends { get; }

        /// <summary>
        /// The silence after which an overlapping copy (<see cref="HttpResend.Overlapping"/>) joins the earlier ones: half
        /// of <see cref="ResponseWait"/>, since the earlier copies keep running and a copy costs the device one more query.
        /// </summary>
        public TimeSpan OverlapWait => TimeSpan.FromTicks(ResponseWait.Ticks / 2);

        /// <summary>How a copy of the request goes again; a new policy sends AfterClosing, the safe way for any request.</summary>
        public HttpResend Resend { get; }

        /// <summary>
        /// The same connection attempts and waits, the request resent as <paramref name="resend"/> says (Never: sent once
        /// only; connection attempts still overlap, since they carry no request).
        /// </summary>
        public HttpRetryPolicy WithResend(HttpResend resend) =>
            resend == Resend ? this : new HttpRetryPolicy(this, resend);

        /// <summary>
        /// The silence allowed to send number <paramref name="send"/> (1-based) before the next: the same for each, since a
        /// stalled connection is as likely the second time; infinite for the last, which waits for the exchange's bound.
        /// </summary>
        internal TimeSpan WaitBeforeResend(int send) => send >= MaxSends ? Timeout.InfiniteTimeSpan : ResponseWait;
    }
}
