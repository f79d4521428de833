using System;
using System.Management.Automation;
using System.Net;
using PSUpnp.Igd;

namespace PSUpnp.Commands
{
    /// <summary>Asks the gateway to forward an external port to this host (or another internal client); renews it when it exists.</summary>
    [Cmdlet(VerbsCommon.Add, "UpnpPortMapping", SupportsShouldProcess = true)]
    [OutputType(typeof(UpnpPortMapping))]
    public sealed class AddUpnpPortMappingCommand : GatewayCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateRange(1, 65535)]
        public int ExternalPort { get; set; }

        /// <summary>The port on the internal client; the external port when not given.</summary>
        [Parameter(Position = 1)]
        [ValidateRange(1, 65535)]
        public int InternalPort { get; set; }

        /// <summary>TCP, UDP, or Both (one mapping each).</summary>
        [Parameter]
        public ProtocolSelection Protocol { get; set; } = ProtocolSelection.TCP;

        /// <summary>The host to forward to; this host's address on the interface that reaches the gateway when not given.</summary>
        [Parameter]
        [ValidateNotNull]
        public IPAddress? InternalClient { get; set; }

        [Parameter]
        [ValidateNotNull]
        public string Description { get; set; } = new PortMappingRequest().Description;

        /// <summary>How long the router keeps the mapping; zero asks for a permanent one.</summary>
        [Parameter]
        [ValidateLeaseDuration]
        public TimeSpan LeaseDuration { get; set; } = PortMappingRequest.DefaultLeaseDuration;

        /// <summary>The only remote host allowed to use the mapping; any host when not given.</summary>
        [Parameter]
        [ValidateNotNull]
        public IPAddress? RemoteHost { get; set; }

        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public UpnpGateway? Gateway { get; set; }

        /// <summary>Take over a mapping that another internal client holds.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>This run renews a mapping made earlier: if the router has dropped it, a warning says so.</summary>
        [Parameter]
        public SwitchParameter Renew { get; set; }

        protected override void ProcessRecord()
        {
            var gateway = ResolveGateway(Gateway);
            foreach (var protocol in Protocol.Expand())
            {
                var request = new PortMappingRequest
                {
                    ExternalPort = ExternalPort,
                    InternalPort = InternalPort,
                    Protocol = protocol,
                    InternalClient = InternalClient,
                    Description = Description,
                    LeaseDuration = LeaseDuration,
                    RemoteHost = RemoteHost,
                    Force = Force.IsPresent,
                    IsRenewal = Renew.IsPresent,
                };
                var client = InternalClient ?? gateway.LocalAddress;
                var target = $"{protocol} {ExternalPort} -> {client}:{(InternalPort == 0 ? ExternalPort : InternalPort)} on {gateway.FriendlyName} ({gateway.ControlUrl.Host})";
                if (!ShouldProcess(target, "Add port mapping"))
                {
                    continue;
                }

                try
                {
                    var result = Call(gateway, (igd, ct) => igd.AddPortMappingAsync(request, ct));
                    foreach (var warning in result.Warnings)
                    {
                        WriteWarning(warning);
                    }

                    WriteTrace($"{result.Change}: {result.Mapping}");
                    WriteObject(result.Mapping);
                }
                catch (UpnpException ex)
                {
                    WriteUpnpError(ex, request);
                }
            }
        }
    }
}
