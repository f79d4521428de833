using System.Management.Automation;
using System.Net;

namespace PSUpnp.Commands
{
    /// <summary>Deletes port mappings from the gateway: those piped in, or the one named by port and protocol.</summary>
    [Cmdlet(VerbsCommon.Remove, "UpnpPortMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByKeySet)]
    [OutputType(typeof(UpnpPortMapping))]
    public sealed class RemoveUpnpPortMappingCommand : GatewayCmdletBase
    {
        private const string ByKeySet = "ByKey";
        private const string ByMappingSet = "ByMapping";

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByMappingSet)]
        [ValidateNotNull]
        public UpnpPortMapping? InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByKeySet)]
        [ValidateRange(1, 65535)]
        public int ExternalPort { get; set; }

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ByKeySet)]
        public PortMappingProtocol Protocol { get; set; }

        /// <summary>The remote host the mapping is restricted to; the wildcard (any host) when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByKeySet)]
        public IPAddress? RemoteHost { get; set; }

        /// <summary>
        /// The gateway that holds the mapping. By value, so that Find-UpnpGateway | Remove-UpnpPortMapping 8080 TCP works;
        /// a piped UpnpPortMapping still binds to InputObject, since it is no UpnpGateway (see docs/TRACEABILITY.md).
        /// </summary>
        [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByKeySet)]
        [ValidateNotNull]
        public UpnpGateway? Gateway { get; set; }

        /// <summary>Write each removed mapping to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var gateway = InputObject?.Gateway ?? ResolveGateway(Gateway);
            var remoteHost = InputObject != null ? InputObject.RemoteHost : RemoteHost;
            var port = InputObject?.ExternalPort ?? ExternalPort;
            var protocol = InputObject?.Protocol ?? Protocol;
            var target = $"{protocol} {port}{(remoteHost == null ? string.Empty : " from " + remoteHost)} on {gateway.FriendlyName} ({gateway.ControlUrl.Host})";
            if (!ShouldProcess(target, "Remove port mapping"))
            {
                return;
            }

            try
            {
                // The engine looks the mapping up first, so that every router reports one that is not there alike.
                var removed = Call(gateway, (igd, ct) => igd.RemovePortMappingAsync(remoteHost, port, protocol, ct)) ?? InputObject;
                if (PassThru && removed != null)
                {
                    WriteObject(removed);
                }
            }
            catch (UpnpException ex)
            {
                WriteUpnpError(ex, (object?)InputObject ?? target);
            }
        }
    }
}
