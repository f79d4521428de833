using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Net
{
    /// <summary>The one DNS lookup of the engine: device URLs, LOCATION hosts and STUN server names all go through it.</summary>
    internal static class NameLookup
    {
        /// <summary>
        /// The host's addresses. Dns.GetHostAddressesAsync takes no token on netstandard2.0, so a cancelled caller
        /// stops waiting for it; a name that does not resolve is the SocketException the lookup throws.
        /// </summary>
        public static async Task<IPAddress[]> GetAddressesAsync(string host, CancellationToken cancellationToken)
        {
            var lookup = Dns.GetHostAddressesAsync(host);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(lookup, cancelled.Task).ConfigureAwait(false) != lookup)
                {
                    // The abandoned lookup's fault, if any, must not go unobserved.
                    _ = lookup.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                return await lookup.ConfigureAwait(false);
            }
        }
    }
}
