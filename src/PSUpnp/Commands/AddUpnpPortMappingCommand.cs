using System;
using System.Management.Automation;
using System.Net;
using PSUpnp.Engine;
using PSUpnp.Igd;

namespace PSUpnp.Commands
{
    /// <summary>
    /// Asks the gateway to forward an external port to this host (or another internal client); renews it when it exists.
    /// Every mapping field binds by property name, so a CSV of ports or a saved mapping re-creates mappings; an empty
    /// CSV cell means the field was not given.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "UpnpPortMapping", SupportsShouldProcess = true)]
    [OutputType(typeof(UpnpPortMapping))]
    public sealed class AddUpnpPortMappingCommand : GatewayCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int ExternalPort { get; set; }

        /// <summary>The port on the internal client; 0 or not given (PowerShell reads an empty CSV cell as 0): the external port.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 65535)]
        public int InternalPort { get; set; }

        /// <summary>TCP, UDP, or Both (one mapping each); TCP when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansNotGiven]
        public ProtocolSelection? Protocol { get; set; }

        /// <summary>The host to forward to; this host's address on the interface that reaches the gateway when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("InternalIPAddress")]
        [BlankMeansNotGiven(Address = true)]
        public IPAddress? InternalClient { get; set; }

        /// <summary>The description the router shows; PSUpnp when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansNotGiven]
        public string? Description { get; set; }

        /// <summary>How long the router keeps the mapping; zero asks for a permanent one; two hours when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansNotGiven]
        [ValidateLeaseDuration]
        public TimeSpan? LeaseDuration { get; set; }

        /// <summary>The only remote host allowed to use the mapping; any host when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("RemoteAddress")]
        [BlankMeansNotGiven(Address = true)]
        public IPAddress? RemoteHost { get; set; }

        /// <summary>Take over a mapping that another internal client holds.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>This run renews a mapping made earlier: if the router has dropped it, a warning says so.</summary>
        [Parameter]
        public SwitchParameter Renew { get; set; }

        /// <summary>
        /// IPv4 (a port mapping), IPv6 (a firewall pinhole to this host's global IPv6 address) or Both (one of each).
        /// When not given: IPv6 if -InternalClient is an IPv6 address or a -PinholeId is given, else IPv4.
        /// </summary>
        [Parameter]
        public AddressFamilySelection? AddressFamily { get; set; }

        /// <summary>IPv6 pinholes only: the only remote port allowed through; 0 or not given: any port.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 65535)]
        public int RemotePort { get; set; }

        /// <summary>IPv6 pinholes only: with -Renew, the pinhole whose lease is extended (a piped pinhole gives its own).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansNotGiven]
        public int? PinholeId { get; set; }

        protected override void ProcessGateway(UpnpGateway gateway)
        {
            foreach (var protocol in (Protocol ?? ProtocolSelection.TCP).Expand())
            {
                var request = new PortMappingRequest
                {
                    ExternalPort = ExternalPort,
                    InternalPort = InternalPort,
                    Protocol = protocol,
                    InternalClient = InternalClient,
                    RemoteHost = RemoteHost,
                    Force = Force.IsPresent,
                    IsRenewal = Renew.IsPresent,
                    RemotePort = RemotePort == 0 ? null : RemotePort,
                    PinholeId = PinholeId,
                };
                request.Description = Description ?? request.Description;
                request.LeaseDuration = LeaseDuration ?? request.LeaseDuration;

                // With -Protocol Both or -AddressFamily Both each is its own mapping: one refused does not stop the
                // other. The families are checked first, so a request that cannot fit both asks for neither.
                Attempt(request, () =>
                {
                    foreach (var family in AddressFamilyPlan.Families(AddressFamily, request))
                    {
                        Attempt(request, () => Add(request, gateway, family));
                    }
                });
            }
        }

        private void Add(PortMappingRequest request, UpnpGateway gateway, System.Net.Sockets.AddressFamily family)
        {
            // The façade applies the defaults once; ShouldProcess shows exactly what will be asked for.
            if (family == System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                var pinhole = UpnpEngine.PreparePinhole(request, gateway);
                if (ShouldProcess(pinhole.ToString(), "Open IPv6 pinhole"))
                {
                    WriteObject(Perform((engine, ct) => engine.AddPinholeAsync(pinhole, ct)).Mapping);
                }

                return;
            }

            var mapping = UpnpEngine.PrepareAddition(request, gateway, Method);
            if (ShouldProcess(mapping.ToString(), "Add port mapping"))
            {
                WriteObject(Perform((engine, ct) => engine.AddPortMappingAsync(mapping, ct)).Mapping);
            }
        }
    }
}
