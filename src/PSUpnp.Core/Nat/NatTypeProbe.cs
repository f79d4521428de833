using System;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Stun;

namespace PSUpnp.Nat
{
    /// <summary>
    /// Test-NatType's two parts at once: RFC 5780 behaviour discovery and the UPnP gateway's external address, joined
    /// by <see cref="NatTypeResult.Create"/>. The gateway is a cross-check, not a requirement: when none answers within
    /// its bound, or it fails, the result only lacks the cross-check. Finding and asking the gateway is the façade's
    /// (<c>UpnpEngine</c>), so the NAT code knows nothing of UPnP.
    /// </summary>
    internal static class NatTypeProbe
    {
        /// <summary>
        /// How long the cross-check waits for a gateway unless told otherwise: a router with UPnP answers a search
        /// within a second (MX 1), and on a network without one the NAT test should not wait much longer than its
        /// own tests take.
        /// </summary>
        public static readonly TimeSpan DefaultGatewayTimeout = TimeSpan.FromSeconds(2);

        /// <param name="options">The STUN tests.</param>
        /// <param name="crossCheck">
        /// The gateway's external address, or null when there is none to compare with; it must not throw but for the
        /// token, which is cancelled once the STUN tests have failed. The façade gives it (<c>UpnpEngine</c>: discovery
        /// through the session cache and its one rule for a gateway that is gone); null skips the cross-check.
        /// </param>
        /// <param name="cancellationToken">Stops both parts.</param>
        /// <returns>The NAT test's result, with the gateway's external address when one answered.</returns>
        /// <exception cref="StunException">The NAT test could not run (no usable server, a socket that cannot be bound).</exception>
        internal static async Task<NatTypeResult> RunAsync(NatDiscoveryOptions options, Func<CancellationToken, Task<UpnpExternalAddress?>>? crossCheck, CancellationToken cancellationToken)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            using (var stopGateway = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                // Task.Run: neither part's synchronous start (interface enumeration, socket setup) delays the other.
                var gateway = crossCheck == null
                    ? Task.FromResult<UpnpExternalAddress?>(null)
                    : Task.Run(() => crossCheck(stopGateway.Token));
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
    }
}
