using System.Management.Automation;
using System.Net;
using PSUpnp.Engine.Ways;

namespace PSUpnp.Commands
{
    /// <summary>Deletes port mappings from the gateway: those piped in, or the one named by port and protocol.</summary>
    [Cmdlet(VerbsCommon.Remove, "UpnpPortMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByKeySet)]
    [OutputType(typeof(UpnpPortMapping))]
    public sealed class RemoveUpnpPortMappingCommand : GatewayCmdletBase
    {
        private const string ByKeySet = "ByKey";
        private const string ByMappingSet = "ByMapping";

        /// <summary>
        /// A mapping from Get-UpnpPortMapping or Add-UpnpPortMapping. By value in its own set: a piped UpnpGateway is no
        /// UpnpPortMapping, so it still binds to -Gateway of the default set (Find-UpnpGateway | Remove-UpnpPortMapping 8080 TCP).
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByMappingSet)]
        [ValidateNotNull]
        public UpnpPortMapping? InputObject { get; set; }

        /// <summary>The mapping's external port; with -Protocol, required unless -PinholeId names an IPv6 pinhole.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByKeySet)]
        [ValidateRange(1, 65535)]
        public int ExternalPort { get; set; }

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ByKeySet)]
        public PortMappingProtocol Protocol { get; set; }

        /// <summary>The remote host the mapping is restricted to; the wildcard (any host) when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByKeySet)]
        [Alias("RemoteAddress")]
        [BlankMeansNotGiven(Address = true)]
        public IPAddress? RemoteHost { get; set; }

        /// <summary>
        /// The internal port, by which PCP and NAT-PMP name a mapping (UPnP IGD names it by the external one); the
        /// external port when not given, as Add-UpnpPortMapping's default is.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByKeySet)]
        [ValidateRange(0, 65535)]
        public int InternalPort { get; set; }

        /// <summary>
        /// An IPv6 pinhole's UniqueID: closes that pinhole (-ExternalPort and -Protocol are then not needed). A piped
        /// pinhole, or a row with a PinholeId, gives its own; an empty one is an IPv4 mapping's. It shares the default
        /// parameter set with -ExternalPort so that both a piped object and the bare "-PinholeId 5" bind to it.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByKeySet)]
        [AllowNull]
        [BlankMeansNotGiven]
        public int? PinholeId { get; set; }

        /// <summary>Write each removed mapping to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>A piped mapping names its own gateway, unless -Gateway names another.</summary>
        protected override GatewayReference? GatewayOfRecord() => GatewayOrThatOf(InputObject);

        protected override void ProcessGateway(UpnpGateway gateway)
        {
            if ((InputObject != null ? InputObject.PinholeId : PinholeId) is int pinholeId)
            {
                RemovePinhole(gateway, pinholeId);
                return;
            }

            if (InputObject == null && (ExternalPort == 0 || !MyInvocation.BoundParameters.ContainsKey(nameof(Protocol))))
            {
                throw Igd.PortMappingTarget.Invalid(
                    nameof(ExternalPort),
                    "Name the mapping to remove with -ExternalPort and -Protocol (for example Remove-UpnpPortMapping 8080 TCP), pipe it in, or give an IPv6 pinhole's -PinholeId.");
            }

            var remoteHost = InputObject != null ? InputObject.RemoteHost : RemoteHost;
            var port = InputObject?.ExternalPort ?? ExternalPort;
            var protocol = InputObject?.Protocol ?? Protocol;
            var target = $"{protocol} {port}{(remoteHost == null ? string.Empty : " from " + remoteHost)} on {gateway.Label}";
            if (!ShouldProcess(target, "Remove port mapping"))
            {
                return;
            }

            Attempt((object?)InputObject ?? target, () =>
            {
                // The engine looks the mapping up first, so that every router reports one that is not there alike.
                var key = InputObject != null ? MappingKey.Of(InputObject) : new MappingKey(remoteHost, port, protocol, InternalPort);
                var removed = Perform((engine, ct) => engine.RemovePortMappingAsync(gateway, key, Method ?? InputObject?.Method, ct)) ?? InputObject;
                if (PassThru && removed != null)
                {
                    WriteObject(removed);
                }
            });
        }

        private void RemovePinhole(UpnpGateway gateway, int pinholeId)
        {
            var target = $"IPv6 pinhole {pinholeId} on {gateway.Label}";
            if (!ShouldProcess(target, "Remove IPv6 pinhole"))
            {
                return;
            }

            Attempt((object?)InputObject ?? target, () =>
            {
                var removed = Perform((engine, ct) => engine.RemovePinholeAsync(gateway, pinholeId, ct)) ?? InputObject;
                if (PassThru && removed != null)
                {
                    WriteObject(removed);
                }
            });
        }
    }
}
