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

        /// <summary>IPv6 pinholes only: the only remote port allowed through; any port when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public int? RemotePort { get; set; }

        /// <summary>IPv6 pinholes only: with -Renew, the pinhole whose lease is extended (a piped pinhole gives its own).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public int? PinholeId { get; set; }

        protected override void ProcessGateway(UpnpGateway gateway)
        {
            if (AddressFamily == AddressFamilySelection.Both && InternalClient != null)
            {
                // Checked before either family is asked for: nothing is half done.
                WriteUpnpError(
                    Igd.PortMappingTarget.Invalid(
                        "InternalClient",
                        "-AddressFamily Both opens this host's own port on both families and takes no -InternalClient (one address cannot be both). Give -AddressFamily IPv4 or IPv6 with it, or leave it out."),
                    InternalClient);
                return;
            }

            foreach (var family in Families())
            {
                foreach (var protocol in (Protocol ?? ProtocolSelection.TCP).Expand())
                {
                    AddOne(gateway, family, protocol);
                }
            }
        }

        private System.Collections.Generic.IReadOnlyList<System.Net.Sockets.AddressFamily> Families() =>
            (AddressFamily
                ?? (InternalClient?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || PinholeId != null ? AddressFamilySelection.IPv6 : AddressFamilySelection.IPv4))
            .Expand();

        private void AddOne(UpnpGateway gateway, System.Net.Sockets.AddressFamily family, PortMappingProtocol protocol)
        {
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
                };
                request.Description = Description ?? request.Description;
                request.LeaseDuration = LeaseDuration ?? request.LeaseDuration;

                request.RemotePort = RemotePort;
                request.PinholeId = PinholeId;

                // With -Protocol Both or -AddressFamily Both each is its own mapping: one refused does not stop the other.
                Attempt(request, () =>
                {
                    if (family == System.Net.Sockets.AddressFamily.InterNetworkV6)
                    {
                        AddPinhole(request, gateway);
                        return;
                    }

                    if (RemotePort != null || PinholeId != null)
                    {
                        throw Igd.PortMappingTarget.Invalid(
                            RemotePort != null ? "RemotePort" : "PinholeId",
                            "-RemotePort and -PinholeId apply to IPv6 pinholes only; an IPv4 port mapping cannot take them. Use -AddressFamily IPv6, or leave them out.");
                    }

                    // The façade applies the defaults once; ShouldProcess shows exactly what will be asked for.
                    var mapping = UpnpEngine.PrepareAddition(request, gateway);
                    if (ShouldProcess(mapping.ToString(), "Add port mapping"))
                    {
                        WriteObject(Perform((engine, ct) => engine.AddPortMappingAsync(mapping, ct)).Mapping);
                    }
                });
            }
        }

        private void AddPinhole(PortMappingRequest request, UpnpGateway gateway)
        {
            var pinhole = UpnpEngine.PreparePinhole(request, gateway);
            if (ShouldProcess(pinhole.ToString(), "Open IPv6 pinhole"))
            {
                WriteObject(Perform((engine, ct) => engine.AddPinholeAsync(pinhole, ct)).Mapping);
            }
        }
    }
}
