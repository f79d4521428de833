using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;

namespace PSUpnp.Commands
{
    /// <summary>
    /// The base of the cmdlets that talk to one gateway. It owns -Gateway (one declaration for every such cmdlet),
    /// resolves it for each record (a gateway given as is; a description URL read once per run; without one, one
    /// discovery through the session's gateway cache), and hands the gateway to <see cref="ProcessGateway"/>. An engine
    /// error there becomes a non-terminating error for that record; only finding no gateway at all ends the pipeline.
    /// </summary>
    public abstract class GatewayCmdletBase : UpnpCmdletBase
    {
        private readonly Dictionary<Uri, UpnpGateway> _described = new Dictionary<Uri, UpnpGateway>();
        private readonly Dictionary<Uri, UpnpException> _unreadable = new Dictionary<Uri, UpnpException>();
        private UpnpGateway? _discovered;

        /// <summary>
        /// The gateway to talk to: a UpnpGateway, a saved one (Import-Clixml, Invoke-Command), or its description URL;
        /// discovered when not given. Named on every cmdlet; it binds from the pipeline by value and by property name.
        /// </summary>
        [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [GatewayTransformation]
        public GatewayReference? Gateway { get; set; }

        protected sealed override void ProcessRecord()
        {
            var reference = GatewayOfRecord();
            UpnpGateway gateway;
            try
            {
                gateway = Resolve(reference);
            }
            catch (UpnpException ex) when (reference != null)
            {
                // A gateway this record named cannot be read: the next record may name another.
                WriteUpnpError(ex, reference.Given);
                return;
            }

            Attempt(gateway, () => ProcessGateway(gateway));
        }

        /// <summary>The cmdlet's own work for one record, with the gateway resolved: bind, ShouldProcess, one engine call, write.</summary>
        protected abstract void ProcessGateway(UpnpGateway gateway);

        /// <summary>The gateway this record names; -Gateway unless the cmdlet knows better (a piped mapping knows its own).</summary>
        protected virtual GatewayReference? GatewayOfRecord() => Gateway;

        /// <summary>Runs one piece of work; an engine error becomes a non-terminating error about <paramref name="target"/>.</summary>
        protected void Attempt(object? target, Action work)
        {
            try
            {
                work();
            }
            catch (UpnpException ex)
            {
                WriteUpnpError(ex, target);
            }
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
                    _described.Remove(gateway.DescriptionUrl);
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

        private UpnpGateway Resolve(GatewayReference? reference)
        {
            if (reference?.Gateway != null)
            {
                return reference.Gateway;
            }

            return reference?.Location != null ? Describe(reference.Location) : Discover();
        }

        /// <summary>
        /// Reads a description URL as Find-UpnpGateway -Location does, bounded by -TimeoutSec, once per URL in this run:
        /// a CSV whose rows all name the same router reads it once, and one that cannot be read fails each row at once
        /// instead of waiting out the timeout again for every row.
        /// </summary>
        private UpnpGateway Describe(Uri location)
        {
            if (_unreadable.TryGetValue(location, out var failure))
            {
                throw failure;
            }

            if (!_described.TryGetValue(location, out var gateway))
            {
                var search = new GatewaySearch { Location = location, Timeout = Timeout };
                try
                {
                    gateway = Run((trace, ct) => new GatewayLocator(trace).FindAsync(search, ct))[0];
                }
                catch (UpnpException ex)
                {
                    _unreadable[location] = ex;
                    throw;
                }

                _described[location] = gateway;
                WriteTrace("Using gateway " + gateway + ", described at " + location);
            }

            return gateway;
        }

        /// <summary>The one discovery of this run (a terminating error when there is no gateway at all).</summary>
        private UpnpGateway Discover()
        {
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
    }
}
