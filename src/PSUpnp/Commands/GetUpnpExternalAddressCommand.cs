using System.Management.Automation;

namespace PSUpnp.Commands
{
    /// <summary>Returns a gateway's external (WAN) address with its connection status and uptime.</summary>
    [Cmdlet(VerbsCommon.Get, "UpnpExternalAddress")]
    [OutputType(typeof(UpnpExternalAddress))]
    public sealed class GetUpnpExternalAddressCommand : GatewayCmdletBase
    {
        protected override void ProcessGateway(UpnpGateway gateway) =>
            WriteObject(Perform((engine, ct) => engine.GetExternalAddressAsync(gateway, Method, ct)));
    }
}
