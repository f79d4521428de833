using System;
using System.Management.Automation;

namespace PSUpnp.Commands
{
    /// <summary>
    /// The base of the cmdlets that talk to one gateway. It owns -Gateway (one declaration for every such cmdlet),
    /// resolves it for each record through the engine façade (a gateway given as is; a description URL read once per
    /// run; without one, one discovery through the session's gateway cache), and hands the gateway to
    /// <see cref="ProcessGateway"/>. An engine error there becomes a non-terminating error for that record; only finding
    /// no gateway at all ends the pipeline.
    /// </summary>
    public abstract class GatewayCmdletBase : UpnpCmdletBase
    {
        /// <summary>
        /// The gateway to talk to: a UpnpGateway, a saved one (Import-Clixml, Invoke-Command), or its description URL;
        /// discovered when not given. Named on every cmdlet; it binds from the pipeline by value and by property name.
        /// </summary>
        [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [GatewayTransformation]
        public GatewayReference? Gateway { get; set; }

        /// <summary>
        /// The way to ask the router: UpnpIgd, Pcp or NatPmp. Not given: UPnP IGD when the gateway answered it, else PCP,
        /// else NAT-PMP (a piped or saved mapping brings the way that made it).
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansNotGiven]
        public PortMappingMethod? Method { get; set; }

        protected sealed override void ProcessRecord()
        {
            var reference = GatewayOfRecord();
            UpnpGateway gateway;
            try
            {
                gateway = reference?.Gateway ?? Perform((engine, ct) => engine.ResolveAsync(reference?.Location, ct));
            }
            catch (UpnpException ex) when (ProcessNoGateway(ex))
            {
                // The cmdlet made a result of it (Test-UpnpPortMapping: no gateway is its first finding).
                return;
            }
            catch (UpnpException ex) when (reference != null)
            {
                // A gateway this record named cannot be read: the next record may name another.
                WriteUpnpError(ex, reference.Given);
                return;
            }
            catch (UpnpException ex)
            {
                // No gateway answered discovery: nothing further can be done in this pipeline.
                ThrowUpnpError(ex, null);
                return;
            }

            Attempt(gateway, () => ProcessGateway(gateway));
        }

        /// <summary>The cmdlet's own work for one record, with the gateway resolved: bind, ShouldProcess, one façade call, write.</summary>
        protected abstract void ProcessGateway(UpnpGateway gateway);

        /// <summary>
        /// Where the record's gateway cannot be resolved (none answered, its description unreadable): true when the cmdlet
        /// has dealt with it; false (the default) makes it the error it is for every other cmdlet.
        /// </summary>
        protected virtual bool ProcessNoGateway(UpnpException error) => false;

        /// <summary>The gateway this record names; -Gateway unless the cmdlet knows better (a piped mapping knows its own).</summary>
        protected virtual GatewayReference? GatewayOfRecord() => Gateway;

        /// <summary>-Gateway when given, else the gateway of the piped mapping (a mapping knows its own), else none.</summary>
        private protected GatewayReference? GatewayOrThatOf(UpnpPortMapping? piped) =>
            Gateway ?? (piped == null ? null : GatewayReference.Of(piped.Gateway));

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
    }
}
