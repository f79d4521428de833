using System;
using System.Net;

namespace PSUpnp.Igd
{
    /// <summary>What the caller asks of discovery.</summary>
    internal sealed class GatewaySearch
    {
        public static readonly TimeSpan DefaultTimeout = Net.HttpLimits.DefaultTimeout;

        /// <summary>
        /// Bounds the whole call, discovery and description reads together; each description read and each status probe
        /// may take as long as the bound leaves. A search ends sooner when it can (see GatewayLocator.FindAsync).
        /// </summary>
        public TimeSpan Timeout { get; set; } = DefaultTimeout;

        /// <summary>Every gateway that answers within the timeout, rather than the first usable one.</summary>
        public bool All { get; set; }

        /// <summary>Search from this local interface address only.</summary>
        public IPAddress? LocalAddress { get; set; }

        /// <summary>A known description URL: no discovery, always honoured.</summary>
        public Uri? Location { get; set; }

        /// <summary>
        /// Do not answer from the session cache (GatewayCache.Shared); the fresh answer still replaces the cached one.
        /// The cache is never used with <see cref="All"/> or <see cref="Location"/>.
        /// </summary>
        public bool BypassCache { get; set; }

        /// <summary>Records the interfaces searched and every SSDP answer (Test-UpnpPortMapping -Detailed); none when null.</summary>
        internal Diagnostics.DiscoveryRecorder? Recorder { get; set; }
    }
}
