using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Stun;

namespace PSUpnp.Nat
{
    /// <summary>
    /// Test-NatType's one engine call: RFC 5780 behaviour discovery and, at the same time, the UPnP gateway's
    /// external address, joined by <see cref="NatTypeResult.Create"/>. The gateway is a cross-check, not a
    /// requirement: when none answers within its bound, or it fails, the result only lacks the cross-check and the
    /// reason goes to the trace.
    /// </summary>
    public static class NatTypeProbe
    {
        /// <summary>
        /// How long the cross-check waits for a gateway unless told otherwise: a router with UPnP answers a search
        /// within a second (MX 1), and on a network without one the NAT test should not wait much longer than its
        /// own tests take.
        /// </summary>
        public static readonly TimeSpan DefaultGatewayTimeout = TimeSpan.FromSeconds(2);

        /// <param name="options">The STUN tests; <see cref="NatDiscoveryOptions.Trace"/> also receives the gateway's trace.</param>
        /// <param name="gatewaySearch">
        /// How to find the gateway (its <see cref="GatewaySearch.Timeout"/> bounds the whole cross-check, discovery and
        /// the external-address request together); null skips the cross-check.
        /// </param>
        /// <param name="cancellationToken">Stops both parts.</param>
        /// <returns>The NAT test's result, with the gateway's external address when one answered.</returns>
        /// <exception cref="StunException">The NAT test could not run (no usable server, a socket that cannot be bound).</exception>
        public static Task<NatTypeResult> RunAsync(NatDiscoveryOptions options, GatewaySearch? gatewaySearch, CancellationToken cancellationToken) =>
            RunAsync(options, gatewaySearch, null, cancellationToken);

        /// <summary>The same, with discovery's outside world (the session cache among it) given by a test; null is the real one.</summary>
        internal static async Task<NatTypeResult> RunAsync(NatDiscoveryOptions options, GatewaySearch? gatewaySearch, DiscoverySeams? seams, CancellationToken cancellationToken)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var trace = options.Trace ?? NullTraceSink.Instance;
            using (var stopGateway = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                // Task.Run: neither part's synchronous start (interface enumeration, socket setup) delays the other.
                var gateway = gatewaySearch == null
                    ? Task.FromResult<UpnpExternalAddress?>(null)
                    : Task.Run(() => ExternalAddressAsync(gatewaySearch, seams, trace, stopGateway.Token));
                var stun = NatBehaviorDiscovery.RunAsync(options, cancellationToken);

                // Wait without throwing: a failed NAT test is the answer, so the gateway is not waited for then.
                await Task.WhenAny(stun).ConfigureAwait(false);
                if (stun.Status != TaskStatus.RanToCompletion)
                {
                    stopGateway.Cancel();
                }

                var external = await gateway.ConfigureAwait(false);
                var result = await stun.ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                return NatTypeResult.Create(result, external);
            }
        }

        /// <summary>
        /// The gateway's external address, or null (with the reason traced): this part never fails the test. A gateway
        /// that turns out to be gone leaves the session cache, as after a failed cmdlet call, so that the next call
        /// (Test-NatType run again after the router was replaced) discovers again instead of asking the old one.
        /// </summary>
        private static async Task<UpnpExternalAddress?> ExternalAddressAsync(GatewaySearch search, DiscoverySeams? seams, ITraceSink trace, CancellationToken stop)
        {
            var locator = seams == null ? new GatewayLocator(trace) : new GatewayLocator(trace, null, seams);
            UpnpGateway? asked = null;
            using (var bound = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                bound.CancelAfter(search.Timeout);
                try
                {
                    var found = await locator.FindAsync(search, bound.Token).ConfigureAwait(false);
                    if (found.Count == 0)
                    {
                        trace.Trace("UPnP cross-check skipped: no UPnP gateway answered.");
                        return null;
                    }

                    asked = found[0];
                    var address = await new IgdClient(asked, trace, null, search.Timeout).GetExternalAddressAsync(bound.Token).ConfigureAwait(false);
                    trace.Trace("UPnP cross-check: " + asked.Label + " reports the external address "
                        + (address.ExternalAddress?.ToString() ?? "(none)") + ", connection " + (address.ConnectionStatus.Length == 0 ? "status unknown" : address.ConnectionStatus) + ".");
                    return address;
                }
                catch (UpnpException e)
                {
                    trace.Trace("UPnP cross-check skipped (" + e.ErrorId + "): " + e.Message);
                    if (asked != null && locator.Seams.Cache.ForgetIfGone(asked, e))
                    {
                        TraceForgotten(trace, asked);
                    }

                    return null;
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    trace.Trace("UPnP cross-check skipped: no UPnP gateway answered within "
                        + search.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s.");

                    // Found (perhaps only remembered) but silent within the bound: what a gateway that is gone looks like.
                    if (asked != null && locator.Seams.Cache.Evict(asked) > 0)
                    {
                        TraceForgotten(trace, asked);
                    }

                    return null;
                }
                catch (OperationCanceledException)
                {
                    trace.Trace("UPnP cross-check stopped: the NAT test failed or was cancelled, so its answer is not needed.");
                    return null;
                }
            }
        }

        private static void TraceForgotten(ITraceSink trace, UpnpGateway gateway) =>
            trace.Trace("UPnP cross-check: forgot gateway " + gateway + " from the session cache, since it looks gone; the next call discovers again.");
    }
}
