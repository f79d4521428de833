using System.Management.Automation;

namespace PSUpnp.Commands
{
    /// <summary>Returns a gateway's external (WAN) address with its connection status and uptime.</summary>
    [Cmdlet(VerbsCommon.Get, "UpnpExternalAddress")]
    [OutputType(typeof(UpnpExternalAddress))]
    public sealed class GetUpnpExternalAddressCommand : GatewayCmdletBase
    {
        protected override void ProcessGateway(UpnpGateway gateway)
        {
            var address = Call(gateway, (client, ct) => client.GetExternalAddressAsync(ct));
            if (address.DoubleNatWarning() is string warning)
            {
                WriteWarning(warning);
            }

            WriteObject(address);
        }
    }
}
