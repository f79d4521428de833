using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Nat;

namespace PSUpnp.Engine
{
    /// <summary>Test-NatType's UPnP cross-check, under the façade's one rule for a gateway that is gone.</summary>
    internal sealed partial class UpnpEngine
    {
        /// <summary>
        /// The NAT test with the cross-check's search given whole (null: no cross-check); the lab and the tests name
        /// the interface or the description URL to search with.
        /// </summary>
        internal Task<NatTypeResult> TestNatTypeAsync(NatDiscoveryOptions options, GatewaySearch? search, CancellationToken cancellationToken) =>
            NatTypeProbe.RunAsync(options, search == null ? null : stop => CrossCheckAsync(search, stop), cancellationToken);

        /// <summary>
        /// The gateway's external address, or null (with the reason traced): this part never fails the test.
        /// <see cref="GatewaySearch.Timeout"/> bounds discovery and the request together. A gateway that turns out to be
        /// gone is forgotten as after any other operation, so that the next call (Test-NatType run again after the
        /// router was replaced) discovers again instead of asking the old one.
        /// </summary>
        private async Task<UpnpExternalAddress?> CrossCheckAsync(GatewaySearch search, CancellationToken stop)
        {
            UpnpGateway? asked = null;
            using (var bound = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                bound.CancelAfter(search.Timeout);
                try
                {
                    var found = await Locator().FindAsync(search, bound.Token).ConfigureAwait(false);
                    if (found.Count == 0)
                    {
                        Trace.Trace("UPnP cross-check skipped: no UPnP gateway answered.");
                        return null;
                    }

                    asked = found[0];
                    var address = await CheckedExternalAddressAsync(asked, null, bound.Token).ConfigureAwait(false);
                    Trace.Trace("UPnP cross-check: " + asked.Label + " reports the external address "
                        + (address.ExternalAddress?.ToString() ?? "(none)") + ", connection " + (address.ConnectionStatus.Length == 0 ? "status unknown" : address.ConnectionStatus) + ".");
                    return address;
                }
                catch (UpnpException e)
                {
                    Trace.Trace("UPnP cross-check skipped (" + e.ErrorId + "): " + e.Message);
                    if (asked != null)
                    {
                        ForgetIfGone(asked, e);
                    }

                    return null;
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    var message = "no UPnP gateway answered within " + search.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s.";
                    Trace.Trace("UPnP cross-check skipped: " + message);

                    // Found (perhaps only remembered) but silent within the bound: a timeout, which the rule reads as gone.
                    if (asked != null)
                    {
                        ForgetIfGone(asked, new UpnpTimeoutException("The gateway's cross-check: " + message, search.Timeout, asked.ControlUrl));
                    }

                    return null;
                }
                catch (OperationCanceledException)
                {
                    Trace.Trace("UPnP cross-check stopped: the NAT test failed or was cancelled, so its answer is not needed.");
                    return null;
                }
            }
        }
    }
}
