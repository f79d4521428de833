using System;

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

        public HttpLimits WithTimeout(TimeSpan timeout) => new HttpLimits(timeout, MaxBodyBytes, MaxHeaderBytes, Retry);

        public HttpLimits WithRetry(HttpRetryPolicy retry) => new HttpLimits(Timeout, MaxBodyBytes, MaxHeaderBytes, retry ?? throw new ArgumentNullException(nameof(retry)));
    }
}
