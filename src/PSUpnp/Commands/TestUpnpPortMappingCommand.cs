using System.Linq;
using System.Management.Automation;
using PSUpnp.Nat;

namespace PSUpnp.Commands
{
    /// <summary>
    /// Answers "why is this port not reachable from the internet?": asks the gateway, a STUN server and this host, and
    /// writes one PortMappingDiagnosis whose verdict names the first thing to fix. It changes nothing. Where no gateway
    /// answers, that is its first finding rather than an error.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "UpnpPortMapping", DefaultParameterSetName = ByPortSet)]
    [OutputType(typeof(PortMappingDiagnosis))]
    public sealed class TestUpnpPortMappingCommand : GatewayCmdletBase
    {
        private const string ByPortSet = "ByPort";
        private const string ByMappingSet = "ByMapping";

        /// <summary>A mapping from Get-UpnpPortMapping or Add-UpnpPortMapping: its port, protocol, internal port and gateway.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByMappingSet)]
        [ValidateNotNull]
        public UpnpPortMapping? InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByPortSet)]
        [ValidateRange(1, 65535)]
        public int ExternalPort { get; set; }

        /// <summary>TCP or UDP; TCP when not given.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ByPortSet)]
        public PortMappingProtocol Protocol { get; set; } = PortMappingProtocol.TCP;

        /// <summary>
        /// The port the service listens on; when given, a mapping to another port is a failure. 0 or not given (an empty
        /// CSV cell): the mapping's own internal port is probed, not judged.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByPortSet)]
        [ValidateRange(0, 65535)]
        public int InternalPort { get; set; }

        /// <summary>STUN servers as host[:port], asked together, to see whether another NAT lies beyond the router.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] StunServer { get; set; } = NatDiscoveryOptions.DefaultServers.ToArray();

        /// <summary>Also collect a bundle for a support ticket (a fresh discovery, the router's strings, the NAT test, every fault).</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        /// <summary>A piped mapping names its own gateway, unless -Gateway names another.</summary>
        protected override GatewayReference? GatewayOfRecord() => GatewayOrThatOf(InputObject);

        /// <summary>No gateway answering is the first finding of the diagnosis, not an error.</summary>
        protected override bool ProcessNoGateway(UpnpException error)
        {
            Diagnose(null, error);
            return true;
        }

        protected override void ProcessGateway(UpnpGateway gateway) => Diagnose(gateway, null);

        private void Diagnose(UpnpGateway? gateway, UpnpException? error)
        {
            var port = InputObject?.ExternalPort ?? ExternalPort;
            var protocol = InputObject?.Protocol ?? Protocol;
            var internalPort = InputObject?.InternalPort ?? (InternalPort == 0 ? (int?)null : InternalPort);
            WriteObject(Perform((engine, ct) => engine.DiagnosePortMappingAsync(gateway, error, port, protocol, internalPort, Method, StunServer, Detailed.IsPresent, ct)));
        }
    }
}
