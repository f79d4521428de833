using System.Globalization;
using System.Management.Automation;
using PSUpnp.Igd;

namespace PSUpnp.Commands
{
    /// <summary>Lists the gateway's port mappings, optionally filtered.</summary>
    [Cmdlet(VerbsCommon.Get, "UpnpPortMapping")]
    [OutputType(typeof(UpnpPortMapping))]
    public sealed class GetUpnpPortMappingCommand : GatewayCmdletBase
    {
        private const int ProgressActivityId = 0x5550;

        [Parameter(Position = 0)]
        [ValidateRange(1, 65535)]
        public int[]? ExternalPort { get; set; }

        [Parameter]
        public PortMappingProtocol? Protocol { get; set; }

        /// <summary>Wildcard pattern on the internal client's address, e.g. 192.168.1.*.</summary>
        [Parameter]
        [Alias("InternalIPAddress")]
        [SupportsWildcards]
        public string? InternalClient { get; set; }

        /// <summary>Wildcard pattern on the description, e.g. 'Steam*'.</summary>
        [Parameter]
        [SupportsWildcards]
        public string? Description { get; set; }

        /// <summary>
        /// IPv4: the router's port mapping table. IPv6: the pinholes this session opened on the gateway that the router
        /// still holds (WANIPv6FirewallControl cannot list a router's pinholes). Both (the default): the table, then those.
        /// </summary>
        [Parameter]
        public AddressFamilySelection AddressFamily { get; set; } = AddressFamilySelection.Both;

        protected override void ProcessGateway(UpnpGateway gateway)
        {
            var filter = new PortMappingFilter
            {
                ExternalPorts = ExternalPort,
                Protocol = Protocol,
                InternalClient = Wildcard(InternalClient),
                Description = Wildcard(Description),
            };
            if (AddressFamily != AddressFamilySelection.IPv6)
            {
                ReadTable(gateway, filter);
            }

            if (AddressFamily != AddressFamilySelection.IPv4)
            {
                foreach (var pinhole in Perform((engine, ct) => engine.GetPinholesAsync(gateway, filter, ct)))
                {
                    WriteObject(pinhole);
                }
            }
        }

        private void ReadTable(UpnpGateway gateway, PortMappingFilter filter)
        {
            var activity = "Reading the port mappings of " + gateway.Label;
            var progress = ProgressOf(read => new ProgressRecord(ProgressActivityId, activity, string.Format(CultureInfo.CurrentCulture, "{0} mappings read", read)));
            try
            {
                foreach (var mapping in Perform((engine, ct) => engine.GetPortMappingsAsync(gateway, filter, progress, Method, ct)))
                {
                    WriteObject(mapping);
                }
            }
            finally
            {
                if (!Stopping)
                {
                    WriteProgress(new ProgressRecord(ProgressActivityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
                }
            }
        }

        private static System.Func<string, bool>? Wildcard(string? pattern) =>
            string.IsNullOrEmpty(pattern) ? null : new WildcardPattern(pattern, WildcardOptions.IgnoreCase).IsMatch;
    }
}
