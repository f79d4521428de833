using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Net;

namespace PSUpnp.Engine
{
    /// <summary>
    /// IPv6 pinholes (IGD v2 WANIPv6FirewallControl:1) behind the same operations as port mappings: open or renew,
    /// list what this session opened, close. The router checks that each request comes from the pinhole's internal
    /// client, so every action goes to the router's IPv6 address from this host's global IPv6 address.
    /// </summary>
    internal sealed partial class UpnpEngine
    {
        /// <summary>
        /// The one check of a pinhole request and the place its defaults are applied: the internal client is this
        /// host's global IPv6 address on the interface that reaches <paramref name="gateway"/>; the port the internal
        /// one, else the external one. Reads the local interfaces only; no exchange with the router.
        /// </summary>
        /// <exception cref="UpnpException">UpnpNoFirewallControl, UpnpNoIPv6Path, UpnpInvalidArgument.</exception>
        public static PreparedPinhole PreparePinhole(PortMappingRequest request, UpnpGateway gateway)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            if (gateway == null)
            {
                throw new ArgumentNullException(nameof(gateway));
            }

            var local = LocalIPv6.Of(gateway.LocalAddress);
            var target = PinholeTarget.From(request, () => local.GlobalAddress ?? throw NoIPv6Path(gateway, "no global IPv6 address"));
            return new PreparedPinhole(gateway, FirewallUrl(gateway, local), local.SenderFor(target.InternalClient), target, request.IsRenewal, request.PinholeId);
        }

        /// <summary>
        /// Add-UpnpPortMapping for IPv6: asks GetFirewallStatus (a firewall that is off or refuses pinholes is an error
        /// in words), then opens the pinhole; renewing one with a known id updates its lease, and one the router no
        /// longer holds is opened again with a warning that says so.
        /// </summary>
        public async Task<OperationResult<PortMappingResult>> AddPinholeAsync(PreparedPinhole pinhole, CancellationToken cancellationToken)
        {
            if (pinhole == null)
            {
                throw new ArgumentNullException(nameof(pinhole));
            }

            var client = Firewall(pinhole.ControlUrl, pinhole.Sender);
            var target = pinhole.Target;
            var warnings = new List<string>();
            await client.EnsureInboundAllowedAsync(cancellationToken).ConfigureAwait(false);
            var change = PortMappingChange.Created;
            int id;
            if (pinhole.IsRenewal && pinhole.PinholeId is int known)
            {
                id = known;
                try
                {
                    await client.UpdateAsync(known, target.LeaseSeconds, cancellationToken).ConfigureAwait(false);
                    change = PortMappingChange.Renewed;
                }
                catch (UpnpFaultException ex) when (MeansPinholeGone(ex))
                {
                    id = await client.AddAsync(target, cancellationToken).ConfigureAwait(false);
                    warnings.Add(string.Format(
                        CultureInfo.InvariantCulture,
                        "The router no longer held IPv6 pinhole {0} ({1}: it expired or the router restarted); it was opened again as pinhole {2}.",
                        known, ex.ErrorId, id));
                }
            }
            else
            {
                id = await client.AddAsync(target, cancellationToken).ConfigureAwait(false);
                if (pinhole.IsRenewal)
                {
                    // AddPinhole equal to a held pinhole extends it and answers its id: the session may know it.
                    change = PinholeBook.Shared.Find(pinhole.ControlUrl, id) != null ? PortMappingChange.Renewed : PortMappingChange.Created;
                }
            }

            var now = SystemClock.Instance.UtcNow;
            var mapping = new UpnpPortMapping(
                pinhole.Gateway,
                target.RemoteHost,
                target.InternalPort,
                target.Protocol,
                target.InternalPort,
                target.InternalClient,
                true,
                target.Description,
                target.Lease,
                now + target.Lease,
                addressFamily: AddressFamily.InterNetworkV6,
                pinholeId: id,
                remotePort: target.RemotePort ?? 0);
            PinholeBook.Shared.Record(pinhole.ControlUrl, mapping);
            Trace.Trace(change + ": " + mapping);
            return new OperationResult<PortMappingResult>(new PortMappingResult(mapping, change, warnings), warnings);
        }

        /// <summary>
        /// Remove-UpnpPortMapping for IPv6: closes pinhole <paramref name="pinholeId"/>. One the router does not hold is
        /// its UpnpError704. The value is the pinhole as this session opened it, null when it opened it elsewhere.
        /// </summary>
        public async Task<OperationResult<UpnpPortMapping?>> RemovePinholeAsync(UpnpGateway gateway, int pinholeId, CancellationToken cancellationToken)
        {
            if (gateway == null)
            {
                throw new ArgumentNullException(nameof(gateway));
            }

            PinholeTarget.CheckPinholeId(pinholeId);

            var local = LocalIPv6.Of(gateway.LocalAddress);
            var url = FirewallUrl(gateway, local);
            var known = PinholeBook.Shared.Find(url, pinholeId);
            try
            {
                await Firewall(url, local.SenderFor(known?.InternalClient)).DeleteAsync(pinholeId, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex) when (MeansPinholeGone(ex))
            {
                PinholeBook.Shared.Forget(url, pinholeId);
                throw new UpnpException(
                    UpnpErrors.MappingNotFound,
                    "The router " + gateway.Label + " holds no IPv6 pinhole " + pinholeId.ToString(CultureInfo.InvariantCulture)
                    + " (" + ex.ErrorId + ": it expired, was removed, or the router restarted); nothing was removed.",
                    url,
                    ex);
            }

            PinholeBook.Shared.Forget(url, pinholeId);
            Trace.Trace("Removed IPv6 pinhole " + pinholeId.ToString(CultureInfo.InvariantCulture));
            return new OperationResult<UpnpPortMapping?>(known);
        }

        /// <summary>
        /// Get-UpnpPortMapping for IPv6: the pinholes this session opened on this gateway that the router still holds
        /// (CheckPinholeWorking asked for each, which also says whether traffic has passed). The service has no listing action, so
        /// pinholes made by other hosts or sessions cannot be seen. A gateway without the service has none: empty.
        /// </summary>
        public async Task<OperationResult<IReadOnlyList<UpnpPortMapping>>> GetPinholesAsync(UpnpGateway gateway, PortMappingFilter? filter, CancellationToken cancellationToken)
        {
            if (gateway == null)
            {
                throw new ArgumentNullException(nameof(gateway));
            }

            var held = new List<UpnpPortMapping>();
            var local = LocalIPv6.Of(gateway.LocalAddress);
            if (gateway.FirewallControlUrl == null || local.Router == null)
            {
                return new OperationResult<IReadOnlyList<UpnpPortMapping>>(held);
            }

            var url = FirewallUrl(gateway, local);
            var recorded = PinholeBook.Shared.Of(url, SystemClock.Instance.UtcNow);
            foreach (var pinhole in filter == null ? recorded : filter.Apply(recorded))
            {
                var id = pinhole.PinholeId!.Value;
                var client = Firewall(url, local.SenderFor(pinhole.InternalClient));
                try
                {
                    var working = await client.CheckWorkingAsync(id, cancellationToken).ConfigureAwait(false);
                    Trace.Trace("IPv6 pinhole " + id.ToString(CultureInfo.InvariantCulture) + ": " + (working ? "traffic has passed" : "no traffic yet"));
                    held.Add(pinhole);
                }
                catch (UpnpFaultException ex) when (MeansPinholeGone(ex))
                {
                    PinholeBook.Shared.Forget(url, id);
                    Trace.Trace("IPv6 pinhole " + id.ToString(CultureInfo.InvariantCulture) + " is no longer held by the router (" + ex.ErrorId + "); forgotten");
                }
            }

            return new OperationResult<IReadOnlyList<UpnpPortMapping>>(held);
        }

        /// <summary>
        /// 704 NoSuchEntry; miniupnpd 2.3.1 answers UpdatePinhole and DeletePinhole for an unknown id with 402 Invalid
        /// Args instead (measured in the lab), which for an id and a lease this module has already checked can mean
        /// nothing else.
        /// </summary>
        private static bool MeansPinholeGone(UpnpFaultException ex) =>
            ex.ErrorCode == UpnpFaultCodes.NoSuchEntry
            || (ex.ErrorCode == UpnpFaultCodes.InvalidArgs && (ex.ActionName == IgdAction.UpdatePinhole.Name || ex.ActionName == IgdAction.DeletePinhole.Name));

        private PinholeClient Firewall(Uri url, IPAddress? sender) => new PinholeClient(url, sender, Trace, Timeout);

        private static Uri FirewallUrl(UpnpGateway gateway, LocalIPv6 local)
        {
            if (gateway.FirewallControlUrl == null)
            {
                throw new UpnpException(
                    UpnpErrors.NoFirewallControl,
                    "The gateway " + gateway.Label + " describes no WANIPv6FirewallControl service, so it cannot open IPv6 pinholes.",
                    gateway);
            }

            return LocalIPv6.OnIPv6(gateway.FirewallControlUrl, local.Router ?? throw NoIPv6Path(gateway, "no IPv6 default route"));
        }

        private static UpnpException NoIPv6Path(UpnpGateway gateway, string what) =>
            new UpnpException(
                UpnpErrors.NoIPv6Path,
                "This host has " + what + " on the interface with " + gateway.LocalAddress + ", which reaches the gateway " + gateway.Label + ", so no IPv6 pinhole can be opened for it.",
                gateway);
    }
}
