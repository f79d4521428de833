using System;
using System.Net;

namespace PSUpnp.Net
{
    /// <summary>Bounds on one HTTP exchange with a device: a device must never hold us longer or feed us more.</summary>
    internal sealed class HttpLimits
    {
        /// <summary>
        /// The bound of one exchange when the caller gives none, and the default of every cmdlet's -TimeoutSec. Callers
        /// that have a budget of their own (-TimeoutSec) apply it with <see cref="WithTimeout"/>: no exchange is held to
        /// a shorter bound than the one the user gave.
        /// </summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

        /// <summary>A GET changes nothing on the device, so its copies may overlap.</summary>
        public static readonly HttpLimits Description = new HttpLimits(DefaultTimeout, 1024 * 1024, retry: HttpRetryPolicy.Default.WithResend(HttpResend.Overlapping));
        /// <summary>How each control action resends is chosen per action (see SoapControl).</summary>
        public static readonly HttpLimits Control = new HttpLimits(DefaultTimeout, 4 * 1024 * 1024, retry: HttpRetryPolicy.Default);

        /// <summary>Without <paramref name="retry"/>, one connection attempt and one send (<see cref="HttpRetryPolicy.None"/>).</summary>
        public HttpLimits(TimeSpan timeout, int maxBodyBytes, int maxHeaderBytes = 16 * 1024, HttpRetryPolicy? retry = null)
        {
            Timeout = timeout;
            MaxBodyBytes = maxBodyBytes;
            MaxHeaderBytes = maxHeaderBytes;
            Retry = retry ?? HttpRetryPolicy.None;
        }

        /// <summary>The whole exchange, connect to last body byte, every resend included.</summary>
        public TimeSpan Timeout { get; }
        public int MaxBodyBytes { get; }
        public int MaxHeaderBytes { get; }
        public HttpRetryPolicy Retry { get; }

        /// <summary>
        /// The local address every connection is made from; null: whichever the routing table picks. IPv6 pinhole
        /// actions need it: the router takes the sender as the host asking, and a host with several global IPv6
        /// addresses (temporary privacy addresses) would otherwise send from one that is not the pinhole's client.
        /// </summary>
        internal IPAddress? LocalAddress { get; private set; }

        public HttpLimits WithTimeout(TimeSpan timeout) => new HttpLimits(timeout, MaxBodyBytes, MaxHeaderBytes, Retry) { LocalAddress = LocalAddress };

        public HttpLimits WithRetry(HttpRetryPolicy retry) => new HttpLimits(Timeout, MaxBodyBytes, MaxHeaderBytes, retry ?? throw new ArgumentNullException(nameof(retry))) { LocalAddress = LocalAddress };

        internal HttpLimits WithLocalAddress(IPAddress? localAddress) => new HttpLimits(Timeout, MaxBodyBytes, MaxHeaderBytes, Retry) { LocalAddress = localAddress };
    }
}
