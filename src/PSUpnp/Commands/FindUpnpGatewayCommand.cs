using System;
using System.Globalization;
using System.Management.Automation;
using System.Net;

namespace PSUpnp.Commands
{
    /// <summary>Discovers UPnP Internet Gateway Devices and returns their WAN connection services.</summary>
    [Cmdlet(VerbsCommon.Find, "UpnpGateway")]
    [OutputType(typeof(UpnpGateway))]
    public sealed class FindUpnpGatewayCommand : UpnpCmdletBase
    {
        private const int ProgressActivityId = 0x554F;
        private const string Activity = "Searching for UPnP gateways";

        /// <summary>Every gateway that answers within -TimeoutSec, rather than the first usable one.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        /// <summary>Search from this local interface address only.</summary>
        [Parameter]
        [ValidateNotNull]
        public IPAddress? LocalAddress { get; set; }

        /// <summary>A known device description URL: no discovery (how a scheduled task pins its router).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNull]
        public Uri? Location { get; set; }

        protected override void ProcessRecord()
        {
            // A search can wait the whole -TimeoutSec (always with -All): say what it waits for while it does.
            var status = Location != null
                ? "Reading the description at " + Location
                : string.Format(CultureInfo.CurrentCulture, "Waiting up to {0} s for answers", TimeoutSec);
            WriteProgress(new ProgressRecord(ProgressActivityId, Activity, status));
            try
            {
                // An explicit search always asks the network; the other cmdlets reuse what the session cache holds.
                foreach (var gateway in Perform((engine, ct) => engine.FindGatewaysAsync(LocalAddress, Location, All.IsPresent, ct)))
                {
                    WriteObject(gateway);
                }
            }
            catch (UpnpException ex)
            {
                WriteUpnpError(ex, (object?)Location ?? LocalAddress);
            }
            finally
            {
                if (!Stopping)
                {
                    WriteProgress(new ProgressRecord(ProgressActivityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
                }
            }
        }
    }
}
