using System;

namespace PSUpnp.Net
{
    /// <summary>Bounds on one HTTP exchange with a device: a device must never hold us longer or feed us more.</summary>
    public sealed class HttpLimits
    {
        public static readonly HttpLimits Description = new HttpLimits(TimeSpan.FromSeconds(5), 1024 * 1024);
        public static readonly HttpLimits Control = new HttpLimits(TimeSpan.FromSeconds(5), 4 * 1024 * 1024);

        public HttpLimits(TimeSpan timeout, int maxBodyBytes, int maxHeaderBytes = 16 * 1024)
        {
            Timeout = timeout;
            MaxBodyBytes = maxBodyBytes;
            MaxHeaderBytes = maxHeaderBytes;
        }

        /// <summary>The whole exchange, connect to last body byte.</summary>
        public TimeSpan Timeout { get; }
        public int MaxBodyBytes { get; }
        public int MaxHeaderBytes { get; }

        public HttpLimits WithTimeout(TimeSpan timeout) => new HttpLimits(timeout, MaxBodyBytes, MaxHeaderBytes);
    }
}
