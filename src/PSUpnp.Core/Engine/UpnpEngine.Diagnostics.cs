using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Diagnostics;
using PSUpnp.Igd;
using PSUpnp.Nat;
using PSUpnp.Stun;

namespace PSUpnp.Engine
{
    /// <summary>The façade's diagnostics: who holds the external address, the reachability warning of an add, Test-UpnpPortMapping.</summary>
    internal sealed partial class UpnpEngine
    {
        /// <summary>How long the hairpin connection may take: from inside, a router that hairpins answers at LAN speed.</summary>
        private static readonly TimeSpan HairpinBound = TimeSpan.FromSeconds(2);

        /// <summary>Per gateway and way, its external address as checked beside the first add of this run.</summary>
        private readonly Dictionary<string, UpnpExternalAddress?> _addressAfterAdd = new Dictionary<string, UpnpExternalAddress?>(StringComparer.Ordinal);

        /// <summary>
        /// The gateway's external address with the finding of who holds it (<see cref="AddressOwnerProbe"/>): a public
        /// address may still belong to a NAT beyond the router, which only where packets go can tell.
        /// </summary>
        private async Task<UpnpExternalAddress> CheckedExternalAddressAsync(UpnpGateway gateway, PortMappingMethod? method, CancellationToken cancellationToken)
        {
            var address = await ByWayAsync(gateway, method, way => way.GetExternalAddressAsync(gateway, cancellationToken)).ConfigureAwait(false);
            return await AddressOwnerProbe.CheckAsync(address, Timeout, Trace, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Beside an add: the gateway's external address (what a scheduled task publishes in DNS) and who holds it, so that
        /// the user learns at the add that nobody outside will reach the mapping when the router is behind another NAT.
        /// Bounded and cheap by design: one external-address request and one ICMP echo on the LAN (each within
        /// -TimeoutSec, the echo within a second), sent while the add is under way and done once per gateway and run, so a
        /// CSV of a hundred mappings pays it once and warns once; a STUN query would leave the LAN and could wait seconds
        /// on every add. Null when this run already checked the gateway. A failure never fails the add: it is traced, and
        /// the mapping is returned without the address.
        /// </summary>
        private Task<UpnpExternalAddress?>? StartAddressCheck(PreparedPortMapping mapping, CancellationToken cancellationToken) =>
            _addressAfterAdd.ContainsKey(AddressCheckKey(mapping.Gateway, mapping.Method)) ? null : QuietAddressCheckAsync(mapping, cancellationToken);

        private async Task<UpnpExternalAddress?> QuietAddressCheckAsync(PreparedPortMapping mapping, CancellationToken cancellationToken)
        {
            try
            {
                // As asked, so that the check falls back from PCP to NAT-PMP exactly as the add beside it does.
                return await CheckedExternalAddressAsync(mapping.Gateway, mapping.MethodAsked, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpException e)
            {
                Trace.Trace("Beside the add, the gateway's external address could not be read (" + e.ErrorId + "): " + e.Message);
                return null;
            }
        }

        private static string AddressCheckKey(UpnpGateway gateway, PortMappingMethod method) => gateway.Label + " " + method;

        /// <summary>The added mapping with the external address the check found, and the warning when it is unreachable.</summary>
        private async Task<(PortMappingResult Result, IReadOnlyList<string> Warnings)> WithAddressCheckAsync(PreparedPortMapping asked, PortMappingResult result, Task<UpnpExternalAddress?>? check)
        {
            var warnings = new List<string>(result.Warnings);
            var key = AddressCheckKey(asked.Gateway, asked.Method);
            UpnpExternalAddress? external;
            if (check != null)
            {
                external = await check.ConfigureAwait(false);
                _addressAfterAdd[key] = external;
                if (external?.DoubleNatWarning() is string warning)
                {
                    warnings.Add(result.Mapping + " was added, but it will not be reachable from the internet. " + warning);
                }
            }
            else
            {
                external = _addressAfterAdd[key];
            }

            var mapping = result.Mapping.WithExternalAddress(external?.ExternalAddress);
            return (new PortMappingResult(mapping, result.Change, warnings), warnings);
        }

        /// <summary>
        /// Test-UpnpPortMapping: why is this port not reachable? Gathers what the gateway, a STUN server and this host
        /// show, one traced step at a time, and lets <see cref="PortMappingJudge"/> decide. Never fails for what it
        /// examines: each failure is a finding (and with <paramref name="detailed"/> a fault in the bundle).
        /// </summary>
        /// <param name="gateway">The gateway resolved; null when none could be (then <paramref name="gatewayError"/> says why).</param>
        /// <param name="gatewayError">Why no gateway could be resolved; null with a gateway.</param>
        /// <param name="externalPort">The port the internet should reach.</param>
        /// <param name="protocol">TCP or UDP.</param>
        /// <param name="internalPort">The intended internal port; null when not given.</param>
        /// <param name="method">The way to ask the gateway (-Method); the gateway's best when null. Only UPnP IGD can look a mapping up.</param>
        /// <param name="stunServers">STUN servers as host[:port], asked together.</param>
        /// <param name="detailed">Also collect a <see cref="GatewayDiagnostics"/> bundle (a fresh discovery and the NAT test).</param>
        /// <param name="cancellationToken">Stops every step.</param>
        public async Task<OperationResult<PortMappingDiagnosis>> DiagnosePortMappingAsync(
            UpnpGateway? gateway, UpnpException? gatewayError, int externalPort, PortMappingProtocol protocol, int? internalPort,
            PortMappingMethod? method, IReadOnlyList<string> stunServers, bool detailed, CancellationToken cancellationToken)
        {
            var faults = new List<string>();
            var f = new PortMappingFindings
            {
                ExternalPort = externalPort,
                Protocol = protocol,
                InternalPort = internalPort,
                Gateway = gateway,
                GatewayError = Fault(faults, gatewayError),
            };
            Step("looking for " + protocol + " " + externalPort.ToString(CultureInfo.InvariantCulture) + " on " + (gateway?.ToString() ?? "no gateway (" + gatewayError?.ErrorId + ")"));

            // STUN leaves the LAN and may wait; it runs beside the gateway's questions.
            var stun = StunAddressAsync(gateway?.LocalAddress, stunServers, cancellationToken);
            if (gateway != null)
            {
                Step("asking the gateway for its external address, and whether it holds it");
                try
                {
                    f.External = await CheckedExternalAddressAsync(gateway, method, cancellationToken).ConfigureAwait(false);
                }
                catch (UpnpException e) when (GatewayCache.MeansGatewayIsGone(e))
                {
                    // A gateway remembered from earlier in the session (or named by -Gateway) that no longer answers, as
                    // when UPnP was turned off since: it is the first finding, and asking it again would only wait again.
                    f.GatewayError = Fault(faults, e);
                    f.GatewayGone = true;
                }
                catch (UpnpException e)
                {
                    f.ExternalError = Fault(faults, e);
                }

                if (!f.GatewayGone && (!gateway.Speaks(PortMappingMethod.UpnpIgd) || (method ?? PortMappingMethod.UpnpIgd) != PortMappingMethod.UpnpIgd))
                {
                    f.MappingUnknowable = (gateway.Speaks(PortMappingMethod.UpnpIgd) ? "Asked by " + method : "The router answers only " + string.Join(" and ", gateway.Methods))
                        + ", which cannot look a mapping up; "
                        + "Add-UpnpPortMapping " + externalPort.ToString(CultureInfo.InvariantCulture) + " -Protocol " + protocol + " -Renew makes sure it exists.";
                    Trace.Trace("Test-UpnpPortMapping: " + f.MappingUnknowable);
                }
                else if (!f.GatewayGone)
                {
                    Step("looking the mapping up (GetSpecificPortMappingEntry)");
                    try
                    {
                        f.Mapping = await CallAsync(gateway, (igd, ct) => igd.GetSpecificPortMappingAsync(null, externalPort, protocol, ct), cancellationToken).ConfigureAwait(false);
                        Trace.Trace("Test-UpnpPortMapping: " + (f.Mapping == null ? "the router has no such mapping" : "the router holds " + f.Mapping));
                    }
                    catch (UpnpException e)
                    {
                        f.MappingError = Fault(faults, e);
                    }
                }

                await ProbeThisHostAsync(f, cancellationToken).ConfigureAwait(false);
            }

            Step("waiting for the STUN server's answer");
            (f.StunAddress, f.StunServer, f.StunError) = await stun.ConfigureAwait(false);
            if (f.StunError != null)
            {
                faults.Add(f.StunError);
            }

            f.Now = SystemClock.Instance.UtcNow;
            var (checks, verdict) = PortMappingJudge.Judge(f);
            foreach (var check in checks)
            {
                Trace.Trace("Test-UpnpPortMapping: " + check);
            }

            var details = detailed ? await CollectDetailsAsync(gateway, f, stunServers, faults, cancellationToken).ConfigureAwait(false) : null;
            return new OperationResult<PortMappingDiagnosis>(new PortMappingDiagnosis(
                externalPort, protocol, f.EffectiveInternalPort, f.ThisHost, gateway, f.Mapping, f.External?.ExternalAddress, f.StunAddress, checks, verdict, details));
        }

        private void Step(string what) => Trace.Trace("Test-UpnpPortMapping: " + what + "...");

        private static string? Fault(List<string> faults, UpnpException? error)
        {
            if (error == null)
            {
                return null;
            }

            var text = error.ErrorId + ": " + error.Message;
            faults.Add(text);
            return text;
        }

        /// <summary>A service on the internal port of this host; then, from inside, a connection to the external address (hairpinning).</summary>
        private async Task ProbeThisHostAsync(PortMappingFindings f, CancellationToken cancellationToken)
        {
            var host = f.ThisHost!;
            var port = f.EffectiveInternalPort;
            if (f.Protocol == PortMappingProtocol.UDP)
            {
                Step("looking for a UDP socket bound to port " + port.ToString(CultureInfo.InvariantCulture));
                f.Listener = ConnectionProbe.UdpBound(host, port) ? ListenerState.UdpBound : ListenerState.UdpNotBound;
                f.HairpinDetail = "Not tried for UDP: without an answering service a datagram proves nothing.";
                return;
            }

            Step("connecting to " + host + ":" + port.ToString(CultureInfo.InvariantCulture) + " on this host");
            var local = await ConnectionProbe.TcpAsync(new IPEndPoint(host, port), Timeout, cancellationToken).ConfigureAwait(false);
            Trace.Trace("Test-UpnpPortMapping: the connection to this host's port was " + local);
            f.Listener = local == "accepted" ? ListenerState.Listening : ListenerState.NotListening;

            var external = f.External?.ExternalAddress;
            if (external == null)
            {
                f.HairpinDetail = "Not tried: the router reports no external address.";
                return;
            }

            var bound = Timeout < HairpinBound ? Timeout : HairpinBound;
            Step("connecting to " + external + ":" + f.ExternalPort.ToString(CultureInfo.InvariantCulture) + " from this host (hairpinning)");
            var hairpin = await ConnectionProbe.TcpAsync(new IPEndPoint(external, f.ExternalPort), bound, cancellationToken).ConfigureAwait(false);
            f.Hairpin = hairpin == "accepted";
            f.HairpinDetail = f.Hairpin == true
                ? "A connection from this host to " + external + ":" + f.ExternalPort.ToString(CultureInfo.InvariantCulture) + " was accepted: the router hairpins (or answers on that port itself)."
                : "A connection from this host to " + external + ":" + f.ExternalPort.ToString(CultureInfo.InvariantCulture) + " was " + hairpin + ": the router does not hairpin, or nothing forwards the port.";
        }

        /// <summary>One STUN binding (test I of RFC 5780) to every server at once: the address the first answer names.</summary>
        private async Task<(IPAddress? Address, string? Server, string? Error)> StunAddressAsync(IPAddress? local, IReadOnlyList<string> servers, CancellationToken cancellationToken)
        {
            try
            {
                var family = local?.AddressFamily ?? AddressFamily.InterNetwork;
                var resolved = await StunServerAddress.ResolveAllAsync(servers, family, Trace, cancellationToken).ConfigureAwait(false);
                using (var client = new StunClient(new IPEndPoint(local ?? IPAddress.Any, 0), Trace))
                {
                    var answer = await ServerRace.AskEveryServerAsync(client, resolved, StunRetransmissionPolicy.NatDiscovery.ScaledTo(Timeout), cancellationToken).ConfigureAwait(false);
                    var address = answer?.Result.Response?.ReflexiveAddress?.Address;
                    return address == null
                        ? (null, null, "STUN: no server (" + string.Join(", ", servers) + ") answered within " + Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s")
                        : (Net.MappedAddress.Unmap(address), answer!.Value.Server.Name.ToString(), (string?)null);
                }
            }
            catch (UpnpException e)
            {
                return (null, null, e.ErrorId + ": " + e.Message);
            }
        }

        /// <summary>
        /// The support bundle: a fresh search for every gateway (the interfaces searched and each SSDP answer), the chosen
        /// gateway's status, and the NAT test with its double-NAT cross-check; each failure joins the faults.
        /// </summary>
        private async Task<GatewayDiagnostics> CollectDetailsAsync(UpnpGateway? gateway, PortMappingFindings f, IReadOnlyList<string> stunServers, List<string> faults, CancellationToken cancellationToken)
        {
            var recorder = new DiscoveryRecorder();
            Step("searching again for every gateway, recording each SSDP answer");
            try
            {
                await Locator().FindAsync(new GatewaySearch { Timeout = Timeout, All = true, BypassCache = true, Recorder = recorder }, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpException e)
            {
                Fault(faults, e);
            }

            Step("running the NAT type test");
            NatTypeResult? nat = null;
            try
            {
                var options = new NatDiscoveryOptions { Servers = stunServers.ToList(), LocalAddress = gateway?.LocalAddress, Trace = Trace };
                // The cross-check is the external address the diagnosis already holds: no second search or request.
                var known = f.External;
                nat = await NatTypeProbe.RunAsync(options, known == null ? null : _ => Task.FromResult<UpnpExternalAddress?>(known), cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpException e)
            {
                Fault(faults, e);
            }

            var external = f.External;
            return new GatewayDiagnostics(
                SystemClock.Instance.UtcNow,
                recorder.Interfaces,
                recorder.Answers,
                gateway?.DescriptionUrl?.ToString() ?? string.Empty,
                gateway?.ServiceType ?? string.Empty,
                gateway?.ControlUrl?.ToString() ?? string.Empty,
                gateway?.FriendlyName ?? string.Empty,
                gateway?.Manufacturer ?? string.Empty,
                gateway?.ModelName ?? string.Empty,
                gateway?.Server ?? recorder.Answers.Select(a => a.Server).FirstOrDefault(s => s.Length > 0) ?? string.Empty,
                external?.ExternalAddress?.ToString() ?? string.Empty,
                external?.ConnectionStatus ?? string.Empty,
                (long)(external?.Uptime.TotalSeconds ?? 0),
                external?.LastConnectionError ?? string.Empty,
                external?.HolderEvidence ?? string.Empty,
                nat?.NatType.ToString() ?? string.Empty,
                nat?.Verdict ?? string.Empty,
                nat?.DoubleNat ?? string.Empty,
                faults);
        }
    }
}
