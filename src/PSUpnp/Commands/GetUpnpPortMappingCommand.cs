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

        protected override void ProcessGateway(UpnpGateway gateway)
        {
            var filter = new PortMappingFilter
            {
                ExternalPorts = ExternalPort,
                Protocol = Protocol,
                InternalClient = Wildcard(InternalClient),
                Description = Wildcard(Description),
            };
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
