using System;
using System.Globalization;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;
using PSUpnp.Soap;

namespace PSUpnp.Igd
{
    /// <summary>
    /// Drives a gateway's WANIPv6FirewallControl:1 service over SOAP, one action at a time as the action table
    /// (<see cref="IgdAction"/>) says. The control URL is the router's IPv6 one: the router takes the sender of each
    /// request as the host asking, and allows pinholes only to that host's own address.
    /// </summary>
    internal sealed class PinholeClient
    {
        public const string ServiceType = "urn:schemas-upnp-org:service:WANIPv6FirewallControl:1";

        private readonly SoapControl _control;

        /// <summary>Requests go from <paramref name="sender"/> (this host's address; any when null): the router allows pinholes only to the sender.</summary>
        public PinholeClient(Uri controlUrl, IPAddress? sender, ITraceSink trace, TimeSpan timeout)
        {
            ControlUrl = controlUrl ?? throw new ArgumentNullException(nameof(controlUrl));
            Trace = trace ?? NullTraceSink.Instance;
            _control = new SoapControl(controlUrl, ServiceType, Trace, HttpLimits.Control.WithTimeout(timeout).WithLocalAddress(sender));
        }

        public Uri ControlUrl { get; }
        private ITraceSink Trace { get; }

        /// <summary>
        /// GetFirewallStatus, with its two refusals as the faults the other actions give for them (702 firewall off,
        /// 703 inbound pinholes not allowed), so each condition has one ErrorId and one piece of advice.
        /// </summary>
        /// <exception cref="UpnpFaultException">702 or 703.</exception>
        public async Task EnsureInboundAllowedAsync(CancellationToken cancellationToken)
        {
            var status = await SendAsync(IgdAction.GetFirewallStatus, IgdAction.GetFirewallStatus.With(), cancellationToken).ConfigureAwait(false);
            var enabled = Flag(status, "FirewallEnabled");
            var inbound = Flag(status, "InboundPinholeAllowed");
            Trace.Trace("GetFirewallStatus: firewall " + (enabled ? "on" : "off") + ", inbound pinholes " + (inbound ? "allowed" : "not allowed"));
            if (!enabled)
            {
                throw Refusal(UpnpFaultCodes.FirewallDisabled, "FirewallDisabled (GetFirewallStatus: FirewallEnabled=0)");
            }

            if (!inbound)
            {
                throw Refusal(UpnpFaultCodes.InboundPinholeNotAllowed, "InboundPinholeNotAllowed (GetFirewallStatus: InboundPinholeAllowed=0)");
            }
        }

        /// <summary>AddPinhole: the router's UniqueID of the pinhole (the same one when an equal pinhole existed).</summary>
        public async Task<int> AddAsync(PinholeTarget target, CancellationToken cancellationToken)
        {
            var response = await SendAsync(IgdAction.AddPinhole, IgdAction.Pinhole(target), cancellationToken).ConfigureAwait(false);
            return (int)Number(response, "UniqueID", IgdAction.AddPinhole);
        }

        public Task UpdateAsync(int pinholeId, int leaseSeconds, CancellationToken cancellationToken) =>
            SendAsync(IgdAction.UpdatePinhole, IgdAction.Update(pinholeId, leaseSeconds), cancellationToken);

        /// <summary>DeletePinhole; a 704 to a copy sent again means the first copy removed it, and counts as done.</summary>
        public async Task DeleteAsync(int pinholeId, CancellationToken cancellationToken)
        {
            try
            {
                await SendAsync(IgdAction.DeletePinhole, IgdAction.UniqueId(IgdAction.DeletePinhole, pinholeId), cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex) when (ex.ErrorCode == UpnpFaultCodes.NoSuchEntry && ex.RequestWasResent)
            {
                Trace.Trace("DeletePinhole " + pinholeId.ToString(CultureInfo.InvariantCulture) + ": the earlier copy removed it; its answer was lost");
            }
        }

        /// <summary>
        /// CheckPinholeWorking: true when packets have passed, false when none has yet (709); a pinhole the router no
        /// longer holds is its 704 fault, so it tells a held pinhole from a gone one (GetPinholePackets, which miniupnpd
        /// answers with 0 for any id, cannot).
        /// </summary>
        public async Task<bool> CheckWorkingAsync(int pinholeId, CancellationToken cancellationToken)
        {
            try
            {
                var response = await SendAsync(IgdAction.CheckPinholeWorking, IgdAction.UniqueId(IgdAction.CheckPinholeWorking, pinholeId), cancellationToken).ConfigureAwait(false);
                return Flag(response, "IsWorking");
            }
            catch (UpnpFaultException ex) when (ex.ErrorCode == UpnpFaultCodes.NoPacketSent)
            {
                return false;
            }
        }

        private Task<SoapResponse> SendAsync(IgdAction action, System.Collections.Generic.IReadOnlyList<System.Collections.Generic.KeyValuePair<string, string>> arguments, CancellationToken cancellationToken) =>
            _control.InvokeAsync(action.Name, arguments, action.Resend, cancellationToken);

        private UpnpFaultException Refusal(int code, string description) =>
            new UpnpFaultException(code, description, IgdAction.GetFirewallStatus.Name, ControlUrl);

        private bool Flag(SoapResponse response, string name)
        {
            var text = response.Get(name)?.Trim();
            return text switch
            {
                "1" or "true" or "yes" => true,
                "0" or "false" or "no" => false,
                _ => throw SoapErrors.Malformed(response.ElementName, ControlUrl, name + " is '" + text + "', not a boolean", null),
            };
        }

        private long Number(SoapResponse response, string name, IgdAction action)
        {
            var text = response.Get(name)?.Trim();
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= uint.MaxValue
                ? value
                : throw SoapErrors.Malformed(action.Name, ControlUrl, name + " is '" + text + "', not a number", null);
        }
    }
}
