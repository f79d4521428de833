using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net;
using PSUpnp.Igd;
using PSUpnp.Nat;
using PSUpnp.Stun;

namespace PSUpnp.Commands
{
    /// <summary>Tells what NAT stands between this host and the internet (STUN, RFC 5780), cross-checked with the UPnP gateway.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "NatType")]
    [OutputType(typeof(NatTypeResult))]
    public sealed class TestNatTypeCommand : UpnpCmdletBase
    {
        private const int ProgressActivityId = 0x5551;
        private const string Activity = "Testing the NAT with STUN";

        /// <summary>STUN servers as host[:port] (port 3478 by default), asked together; the first that supports RFC 5780 is used.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[] Server { get; set; } = NatDiscoveryOptions.DefaultServers.ToArray();

        /// <summary>The local address to test from; routing chooses when not given.</summary>
        [Parameter]
        [ValidateNotNull]
        public IPAddress? LocalAddress { get; set; }

        /// <summary>The local UDP port of the main test socket; 0 lets the system choose.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int LocalPort { get; set; }

        /// <summary>Skip the UPnP cross-check: no gateway discovery, no double-NAT finding.</summary>
        [Parameter]
        public SwitchParameter NoGateway { get; set; }

        protected override void ProcessRecord()
        {
            // Without -TimeoutSec the tests keep the RFC 5780 schedule, and the cross-check its own short bound.
            var timeoutGiven = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec));
            var options = new NatDiscoveryOptions
            {
                Servers = Server.ToList(),
                LocalAddress = LocalAddress,
                LocalPort = LocalPort,
                Timeout = timeoutGiven ? Timeout : (TimeSpan?)null,
                Progress = ProgressOf<NatTestProgress>(Describe),
            };
            try
            {
                var result = Perform((engine, ct) => engine.TestNatTypeAsync(options, !NoGateway.IsPresent, ct));
                WriteObject(result);
            }
            catch (UpnpException ex)
            {
                WriteUpnpError(ex, string.Join(", ", Server));
            }
            finally
            {
                if (!Stopping)
                {
                    WriteProgress(new ProgressRecord(ProgressActivityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
                }
            }
        }

        private static ProgressRecord Describe(NatTestProgress step) => new ProgressRecord(
            ProgressActivityId,
            Activity,
            string.Format(CultureInfo.CurrentCulture, "{0} of {1} tests done", step.Completed, step.Total))
        {
            CurrentOperation = step.Test + ": " + step.State,
            PercentComplete = Math.Min(100, step.Completed * 100 / Math.Max(1, step.Total)),
        };
    }
}
