using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Engine.Ways;
using PSUpnp.Igd;
using PSUpnp.Net;
using PSUpnp.NatPmp;
using PSUpnp.Pcp;

namespace PSUpnp.Engine
{
    /// <summary>
    /// One discovery, three ways: SSDP as before and, in the same burst, PCP and NAT-PMP to each default gateway; the
    /// answers of one router (same address) become one <see cref="UpnpGateway"/> whose Methods say which ways answered.
    /// </summary>
    internal sealed partial class UpnpEngine
    {
        /// <summary>
        /// After SSDP has answered, how long Find-UpnpGateway still waits for the router's PCP and NAT-PMP answers. They
        /// were sent with the M-SEARCH, and a router on the link answers in milliseconds: this only covers one lost datagram's
        /// first resend (NAT-PMP's is 250 ms).
        /// </summary>
        internal static readonly TimeSpan ProbeGrace = TimeSpan.FromMilliseconds(600);

        /// <summary>
        /// After PCP or NAT-PMP has answered, how long SSDP may still answer before the router is used without UPnP IGD:
        /// MX 1 (a device spreads its answers over at most a second) and a description read on the link.
        /// </summary>
        internal static readonly TimeSpan IgdGrace = TimeSpan.FromMilliseconds(1500);

        private ILocalNetwork Network => _seams?.Network ?? SystemLocalNetwork.Instance;

        /// <summary>
        /// Discovery by every way at once. <paramref name="forFind"/> (Find-UpnpGateway) waits briefly for the other
        /// ways after SSDP answered, so the gateway lists them all; a cmdlet resolving its gateway stops at the first
        /// usable answer (UPnP IGD when it answers, which every call then uses). Once PCP or NAT-PMP answered, SSDP has
        /// <see cref="IgdGrace"/> more unless every gateway is wanted (-All waits out SSDP's MX window). Warnings: a
        /// router restarted since this session last asked it.
        /// </summary>
        private async Task<(IReadOnlyList<UpnpGateway> Gateways, IReadOnlyList<string> Warnings)> DiscoverAsync(GatewaySearch search, bool forFind, CancellationToken cancellationToken)
        {
            if (!forFind && !search.BypassCache && Cache.TryGet(GatewayCache.KeyOf(search.LocalAddress), SystemClock.Instance.UtcNow, out _))
            {
                // The session's answer: asking the other ways again would only delay a call that uses UPnP IGD.
                return (await Locator().FindAsync(search, cancellationToken).ConfigureAwait(false), Array.Empty<string>());
            }

            var warnings = new List<string>();
            using (var probing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var ssdpCut = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var ssdp = Locator().FindAsync(search, ssdpCut.Token);
                var probes = RoutersToProbe(search.LocalAddress).Select(r => ProbeAsync(r, search.LocalAddress, warnings, probing.Token)).ToList();
                var answered = new List<UpnpGateway>();
                Exception? ssdpFailure = null;
                IReadOnlyList<UpnpGateway> found = Array.Empty<UpnpGateway>();
                try
                {
                    found = await SsdpOrProbeAsync(ssdp, probes, search.All, ssdpCut, cancellationToken).ConfigureAwait(false);
                }
                catch (UpnpException ex) when (probes.Count > 0)
                {
                    ssdpFailure = ex;
                }
                catch (OperationCanceledException ex) when (ssdpCut.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    ssdpFailure = ex;
                    Trace.Trace("Discovery: no UPnP IGD answer within " + GatewayLocator.Seconds(IgdGrace) + " of the router's PCP or NAT-PMP answer; using those");
                }

                if (found.Count > 0 && !forFind)
                {
                    probing.Cancel();
                }
                else if (found.Count > 0)
                {
                    probing.CancelAfter(ProbeGrace);
                }

                foreach (var probe in probes)
                {
                    if (await probe.ConfigureAwait(false) is UpnpGateway router)
                    {
                        answered.Add(router);
                    }
                }

                cancellationToken.ThrowIfCancellationRequested();
                var gateways = Merge(found, answered, search.All);
                if (gateways.Count == 0)
                {
                    // Nobody answered any way: the SSDP error says what was searched and why a device was unusable.
                    ExceptionDispatchInfo.Capture(ssdpFailure!).Throw();
                }

                return (gateways, warnings);
            }
        }

        /// <summary>
        /// SSDP's answer; but once a router answered PCP or NAT-PMP, SSDP gets <see cref="IgdGrace"/> more (unless every
        /// gateway is wanted), so that a router with UPnP off is used in about a second instead of the whole timeout.
        /// </summary>
        private static async Task<IReadOnlyList<UpnpGateway>> SsdpOrProbeAsync(Task<IReadOnlyList<UpnpGateway>> ssdp, List<Task<UpnpGateway?>> probes, bool waitForSsdp, CancellationTokenSource ssdpCut, CancellationToken cancellationToken)
        {
            var pending = new List<Task>(probes) { ssdp };
            while (!waitForSsdp && !ssdp.IsCompleted && pending.Count > 1)
            {
                var done = await Task.WhenAny(pending).ConfigureAwait(false);
                pending.Remove(done);
                if (done != ssdp && await ((Task<UpnpGateway?>)done).ConfigureAwait(false) != null)
                {
                    ssdpCut.CancelAfter(IgdGrace);
                    break;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            return await ssdp.ConfigureAwait(false);
        }

        /// <summary>
        /// The router at <paramref name="router"/>, to be asked by PCP or NAT-PMP without a discovery (the bench times
        /// the add and the delete alone): what a probe would have made of it, from this run's local address or the route.
        /// </summary>
        public UpnpGateway RouterAt(IPAddress router) =>
            RouterWithoutIgd(router, _localAddress ?? Network.GetRouteSource(router), new[] { PortMappingMethod.Pcp, PortMappingMethod.NatPmp });

        /// <summary>A router that answered PCP or NAT-PMP: its address and ways, and none of the UPnP description's members.</summary>
        private static UpnpGateway RouterWithoutIgd(IPAddress router, IPAddress local, IEnumerable<PortMappingMethod> methods) =>
            new UpnpGateway(string.Empty, string.Empty, string.Empty, string.Empty, 0, null, null, null, null, local, null, null, router, methods);

        /// <summary>The default gateways (on the interface of <paramref name="localAddress"/> when given): where PCP and NAT-PMP servers are.</summary>
        private IReadOnlyList<IPAddress> RoutersToProbe(IPAddress? localAddress)
        {
            var snapshot = Network.Read();
            var onInterface = localAddress == null ? null : snapshot.Interfaces.FirstOrDefault(i => i.Address.Equals(localAddress));
            return snapshot.DefaultGateways.Where(g => onInterface == null || onInterface.IsOnLink(g)).ToList();
        }

        /// <summary>
        /// Asks <paramref name="router"/> at once by PCP (ANNOUNCE, which maps nothing) and by NAT-PMP (external address),
        /// the two requests every such server answers without creating state; the gateway without a UPnP description
        /// when either answered (its Methods: those that did), else null. Each silence or refusal is traced.
        /// </summary>
        private async Task<UpnpGateway?> ProbeAsync(IPAddress router, IPAddress? localAddress, List<string> warnings, CancellationToken cancellationToken)
        {
            IPAddress local;
            try
            {
                local = localAddress ?? Network.GetRouteSource(router);
            }
            catch (UpnpException ex)
            {
                Trace.Trace("Discovery: " + router + " is not reachable for PCP or NAT-PMP: " + ex.Message);
                return null;
            }

            var pcp = Answer(PortMappingMethod.Pcp, router, async ct =>
            {
                var answer = await new PcpClient(router, Timeout, Trace, null, local).AnnounceAsync(ct).ConfigureAwait(false);
                return (answer.Epoch, answer.ReceivedAt);
            }, cancellationToken);
            var natPmp = Answer(PortMappingMethod.NatPmp, router, async ct =>
            {
                var answer = await new NatPmpClient(router, Timeout, Trace, null, local).GetExternalAddressAsync(ct).ConfigureAwait(false);
                return (answer.Epoch, answer.ReceivedAt);
            }, cancellationToken);
            var answers = new[] { (PortMappingMethod.Pcp, await pcp.ConfigureAwait(false)), (PortMappingMethod.NatPmp, await natPmp.ConfigureAwait(false)) }
                .Where(a => a.Item2 != null).ToList();
            if (answers.Count == 0)
            {
                return null;
            }

            var gateway = RouterWithoutIgd(router, local, answers.Select(a => a.Item1));
            foreach (var (method, answer) in answers)
            {
                if (ObserveEpoch(gateway, method, answer!.Value.Epoch, answer.Value.At))
                {
                    lock (warnings)
                    {
                        warnings.Add(GrantedMapping.RestartWarning(gateway, method));
                    }
                }
            }

            return gateway;
        }

        /// <summary>One probe's epoch and arrival; null when the router stayed silent or refused (traced).</summary>
        private async Task<(uint Epoch, DateTimeOffset At)?> Answer(PortMappingMethod method, IPAddress router, Func<CancellationToken, Task<(uint, DateTimeOffset)>> ask, CancellationToken cancellationToken)
        {
            try
            {
                return await ask(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Discovery stopped waiting (SSDP answered first, or the caller stopped, which DiscoverAsync rethrows).
                Trace.Trace("Discovery: stopped waiting for a " + method + " answer from " + router);
                return null;
            }
            catch (UpnpException ex)
            {
                Trace.Trace("Discovery: " + router + " does not answer " + method + ": " + ex.ErrorId + ": " + ex.Message);
                return null;
            }
        }

        /// <summary>One gateway per router: an SSDP gateway at the address of a router that answered other ways lists them too.</summary>
        private static IReadOnlyList<UpnpGateway> Merge(IReadOnlyList<UpnpGateway> igd, List<UpnpGateway> others, bool all)
        {
            var merged = new List<UpnpGateway>();
            foreach (var gateway in igd)
            {
                var same = others.FirstOrDefault(o => o.Address!.Equals(gateway.Address));
                merged.Add(same == null ? gateway : gateway.With(same.Methods));
            }

            merged.AddRange(others.Where(o => !igd.Any(g => o.Address!.Equals(g.Address))));
            return all || merged.Count <= 1 ? merged : new[] { merged[0] };
        }
    }
}
