using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Igd
{
    /// <summary>Finds Internet Gateway Devices: SSDP discovery, description reads, choice of connection service.</summary>
    public sealed class GatewayLocator
    {
        public GatewayLocator(ITraceSink? trace = null, ISystemClock? clock = null)
        {
            Trace = trace ?? NullTraceSink.Instance;
            Clock = clock ?? SystemClock.Instance;
        }

        internal ITraceSink Trace { get; }
        internal ISystemClock Clock { get; }

        /// <summary>
        /// Returns the first usable gateway (or every one with <see cref="GatewaySearch.All"/>).
        /// Throws UpnpException UpnpGatewayNotFound when none answers within the timeout.
        /// </summary>
        public Task<IReadOnlyList<UpnpGateway>> FindAsync(GatewaySearch search, CancellationToken cancellationToken)
        {
            throw new System.NotImplementedException();
        }
    }
}
