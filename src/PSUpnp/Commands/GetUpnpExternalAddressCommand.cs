using System.Management.Automation;

namespace PSUpnp.Commands
{
    /// <summary>Returns a gateway's external (WAN) address with its connection status and uptime.</summary>
    [Cmdlet(VerbsCommon.Get, "UpnpExternalAddress")]
    [OutputType(typeof(UpnpExternalAddress))]
    public sealed class GetUpnpExternalAddressCommand : GatewayCmdletBase
    {
        /// <summary>The gateway to ask; discovered when not given.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public UpnpGateway? Gateway { get; set; }

        protected override void ProcessRecord()
        {
            var gateway = ResolveGateway(Gateway);
            try
            {
                var address = Call(gateway, (client, ct) => client.GetExternalAddressAsync(ct));
                if (address.DoubleNatWarning() is string warning)
                {
                    WriteWarning(warning);
                }

                WriteObject(address);
            }
            catch (UpnpException ex)
            {
                WriteUpnpError(ex, gateway);
            }
        }
    }
}
