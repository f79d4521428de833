using System;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;

namespace PSUpnp.Commands
{
    /// <summary>
    /// The base of the cmdlets that talk to one gateway: a gateway given in -Gateway or the pipeline is used as is;
    /// without one, the cmdlet discovers once, through the session's gateway cache.
    /// </summary>
    public abstract class GatewayCmdletBase : UpnpCmdletBase
    {
        private UpnpGateway? _discovered;

        /// <summary>The given gateway, else the one discovery finds (a terminating UpnpGatewayNotFound when there is none).</summary>
        protected UpnpGateway ResolveGateway(UpnpGateway? given)
        {
            if (given != null)
            {
                return given;
            }

            if (_discovered == null)
            {
                var search = new GatewaySearch { Timeout = Timeout };
                try
                {
                    // FindAsync returns at least one gateway or throws UpnpGatewayNotFound itself.
                    _discovered = Run((trace, ct) => new GatewayLocator(trace).FindAsync(search, ct))[0];
                }
                catch (UpnpException ex)
                {
                    ThrowUpnpError(ex, null);
                }

                WriteTrace("Using gateway " + _discovered);
            }

            return _discovered!;
        }

        /// <summary>
        /// One engine call to the gateway's connection service. Each exchange of the call is bounded by -TimeoutSec (a
        /// long table read, one request per entry, is not cut short as a whole). A gateway that turns out to be gone is
        /// evicted from the session cache, so that the next call discovers again instead of failing the same way.
        /// </summary>
        protected T Call<T>(UpnpGateway gateway, Func<IgdClient, CancellationToken, Task<T>> action)
        {
            try
            {
                return Run((trace, ct) => action(new IgdClient(gateway, trace, null, Timeout), ct));
            }
            catch (UpnpException ex)
            {
                if (GatewayCache.Shared.ForgetIfGone(gateway, ex))
                {
                    WriteTrace("Forgot gateway " + gateway + " (" + ex.ErrorId + "); the next call discovers again");
                    _discovered = null;
                }

                throw;
            }
        }

        protected void Call(UpnpGateway gateway, Func<IgdClient, CancellationToken, Task> action) =>
            Call(gateway, async (client, ct) =>
            {
                await action(client, ct).ConfigureAwait(false);
                return true;
            });
    }
}
