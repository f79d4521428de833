using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Description;
using PSUpnp.Net;
using PSUpnp.Ssdp;

namespace PSUpnp.Igd
{
    /// <summary>Finds Internet Gateway Devices: SSDP discovery, description reads, choice of connection service.</summary>
    internal sealed class GatewayLocator
    {
        public GatewayLocator(ITraceSink? trace = null, ISystemClock? clock = null)
            : this(trace, clock, new DiscoverySeams())
        {
        }

        internal GatewayLocator(ITraceSink? trace, ISystemClock? clock, DiscoverySeams seams)
        {
            Trace = trace ?? NullTraceSink.Instance;
            Clock = clock ?? SystemClock.Instance;
            Seams = seams ?? throw new ArgumentNullException(nameof(seams));
        }

        internal ITraceSink Trace { get; }
        internal ISystemClock Clock { get; }
        internal DiscoverySeams Seams { get; }

        /// <summary>
        /// Returns the first usable gateway (or every one with <see cref="GatewaySearch.All"/>): one connection
        /// service per device, chosen among several by GetStatusInfo and the external address.
        /// Throws UpnpException UpnpGatewayNotFound when none answers within the timeout (its InnerException says why an
        /// answering device could not be used), UpnpLocalAddressNotFound, UpnpLocationInvalid, or with a Location the
        /// description read's own error (UpnpConnectionRefused, UpnpTimeout, UpnpDescriptionDtdProhibited, ...).
        /// With <see cref="GatewaySearch.All"/> the search ends once the MX window after the last M-SEARCH has closed
        /// and the descriptions that arrived are read; the timeout bounds it.
        /// </summary>
        public async Task<IReadOnlyList<UpnpGateway>> FindAsync(GatewaySearch search, CancellationToken cancellationToken)
        {
            if (search == null)
            {
                throw new ArgumentNullException(nameof(search));
            }

            if (search.Timeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(search), search.Timeout, "GatewaySearch.Timeout must be positive.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (search.Location != null)
            {
                return new[] { await FromLocationAsync(search, cancellationToken).ConfigureAwait(false) };
            }

            var key = GatewayCache.KeyOf(search.LocalAddress);
            if (!search.All && !search.BypassCache && Seams.Cache.TryGet(key, Clock.UtcNow, out var cached))
            {
                Trace.Trace("Discovery: using the gateway found earlier in this session: " + cached[0]);
                return cached;
            }

            var found = await DiscoverAsync(search, cancellationToken).ConfigureAwait(false);
            if (!search.All)
            {
                // A fresh answer replaces what was remembered, also when the cache was bypassed for reading.
                Seams.Cache.Store(key, found);
            }

            return found;
        }

        private async Task<UpnpGateway> FromLocationAsync(GatewaySearch search, CancellationToken cancellationToken)
        {
            var url = search.Location!;
            if (!url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttp || url.Host.Length == 0)
            {
                throw new UpnpException(UpnpErrors.LocationInvalid, "The description URL '" + url + "' is not an absolute http URL.", url);
            }

            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(search.Timeout);
                try
                {
                    // The name lookup is inside the bound too: a resolver that hangs ends as the timeout error.
                    var localAddress = search.LocalAddress ?? await RouteSourceAsync(url, timeout.Token).ConfigureAwait(false);
                    Trace.Trace("Discovery: reading the description at " + url + " given by the caller, from " + localAddress);
                    var description = await ReadDescriptionAsync(url, search.Timeout, timeout.Token).ConfigureAwait(false);
                    var candidates = GatewayBuilder.Build(description, url, localAddress, null, null, Trace);
                    return await ChooseServiceAsync(candidates, search.Timeout, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new UpnpTimeoutException("The gateway at " + url + " did not complete within " + Seconds(search.Timeout) + ".", search.Timeout, url);
                }
            }
        }

        private async Task<IPAddress> RouteSourceAsync(Uri url, CancellationToken cancellationToken)
        {
            if (!IPAddress.TryParse(url.DnsSafeHost, out var host))
            {
                IPAddress[] addresses;
                try
                {
                    addresses = await NameLookup.GetAddressesAsync(url.DnsSafeHost, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    throw HttpErrors.NameNotResolved(url, e);
                }

                host = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork)
                    ?? (addresses.Length > 0 ? addresses[0] : throw HttpErrors.NameNotResolved(url, null));
            }

            return Seams.Network.GetRouteSource(host);
        }

        internal async Task<DeviceDescription> ReadDescriptionAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var response = await Seams.Fetch(url, timeout, Trace, cancellationToken).ConfigureAwait(false);
            Trace.Trace("Description: GET " + url + " -> " + response.StatusCode.ToString(CultureInfo.InvariantCulture) + ", " + response.Body.Length.ToString(CultureInfo.InvariantCulture) + " bytes");
            if (response.StatusCode != 200)
            {
                throw new UpnpHttpStatusException(
                    response.StatusCode,
                    "Reading the device description at " + url + " failed with HTTP " + response.StatusCode.ToString(CultureInfo.InvariantCulture) + " " + response.ReasonPhrase + ".",
                    url);
            }

            return DeviceDescriptionParser.Parse(response.Body, url);
        }

        /// <summary>
        /// One connection service of a device: when it offers several, the one whose connection is up with a public
        /// external address wins, then one that is up, then one that answers at all, then the first (as miniupnpc chooses).
        /// </summary>
        internal async Task<UpnpGateway> ChooseServiceAsync(IReadOnlyList<UpnpGateway> candidates, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (candidates.Count == 1)
            {
                return candidates[0];
            }

            var probes = new Task<int>[candidates.Count];
            for (var i = 0; i < candidates.Count; i++)
            {
                probes[i] = RankServiceAsync(candidates[i], timeout, cancellationToken);
            }

            var ranks = await Task.WhenAll(probes).ConfigureAwait(false);
            var best = 0;
            for (var i = 1; i < candidates.Count; i++)
            {
                if (ranks[i] > ranks[best])
                {
                    best = i;
                }
            }

            Trace.Trace("Discovery: chose " + candidates[best].ServiceType + " at " + candidates[best].ControlUrl + " among " + candidates.Count.ToString(CultureInfo.InvariantCulture) + " connection services");
            return candidates[best];
        }

        private async Task<int> RankServiceAsync(UpnpGateway candidate, TimeSpan timeout, CancellationToken cancellationToken)
        {
            try
            {
                var status = await Seams.Probe(candidate, timeout, Trace, cancellationToken).ConfigureAwait(false);
                var connected = string.Equals(status.ConnectionStatus, "Connected", StringComparison.OrdinalIgnoreCase);
                var isPublic = status.ExternalAddress != null && AddressScope.IsPublic(status.ExternalAddress);
                Trace.Trace("Discovery: " + candidate.ServiceType + " at " + candidate.ControlUrl + " is " + status.ConnectionStatus + ", external address " + (status.ExternalAddress?.ToString() ?? "none"));
                return connected ? (isPublic ? 3 : 2) : 1;
            }
            catch (UpnpException e)
            {
                Trace.Trace("Discovery: " + candidate.ServiceType + " at " + candidate.ControlUrl + " did not answer its status: " + e.Message);
                return 0;
            }
        }

        private async Task<IReadOnlyList<UpnpGateway>> DiscoverAsync(GatewaySearch search, CancellationToken cancellationToken)
        {
            var snapshot = Seams.Network.Read();
            var sources = PlanSources(search, snapshot);
            search.Recorder?.Searching(sources);
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                limit.CancelAfter(search.Timeout);
                var session = new DiscoverySession(this, snapshot.DefaultGateways, sources, Clock.UtcNow + search.Timeout, limit.Token);
                void OnAnswer(SsdpAnswer answer)
                {
                    search.Recorder?.Answered(answer);
                    session.OnAnswer(answer);
                }

                using (var searcher = new SsdpSearcher(sources, SearchTarget.Gateway, Seams.Mx, Seams.MulticastEndPoint, Trace, Clock, OnAnswer))
                {
                    var ended = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    using (limit.Token.Register(() => ended.TrySetResult(true)))
                    {
                        searcher.Start();
                        if (search.All)
                        {
                            await AllAnsweredAsync(searcher, session, ended.Task, limit.Token).ConfigureAwait(false);
                        }
                        else
                        {
                            await Task.WhenAny(session.FirstUsable, ended.Task).ConfigureAwait(false);
                            if (session.FirstUsable.IsCompleted && !session.BestIsPreferred && !limit.IsCancellationRequested)
                            {
                                // The window ends early when the default gateway, which nothing can beat, answers in it.
                                await Task.WhenAny(Task.Delay(Seams.BetterAnswerWindow, limit.Token), ended.Task, session.PreferredUsable).ConfigureAwait(false);
                            }
                        }
                    }
                }

                // Description reads still under way belong to this call alone: stop them.
                limit.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
                return session.Result(search);
            }
        }

        /// <summary>
        /// Every device answers an M-SEARCH within its MX seconds (UDA 1.1, 1.3.3; a unicast search at once), so a search
        /// for every gateway is over when the window after the last round has closed and the descriptions that arrived
        /// are read; the timeout only bounds it. <paramref name="ended"/> completes when the timeout runs out.
        /// </summary>
        private async Task AllAnsweredAsync(SsdpSearcher searcher, DiscoverySession session, Task ended, CancellationToken cancellationToken)
        {
            if (await Task.WhenAny(searcher.LastRound, ended).ConfigureAwait(false) == ended)
            {
                return;
            }

            var windowEnd = await searcher.LastRound.ConfigureAwait(false) + TimeSpan.FromSeconds(Seams.Mx);
            if (await Task.WhenAny(Seams.WindowWait(windowEnd - Clock.UtcNow, cancellationToken), ended).ConfigureAwait(false) == ended)
            {
                return;
            }

            Trace.Trace("Discovery: the MX window has closed; reading the descriptions that arrived");
            await Task.WhenAny(session.Settled, ended).ConfigureAwait(false);
        }

        private IReadOnlyList<SearchSource> PlanSources(GatewaySearch search, NetworkSnapshot snapshot)
        {
            var sources = new List<SearchSource>();
            foreach (var candidate in snapshot.Interfaces)
            {
                if (search.LocalAddress != null && !candidate.Address.Equals(search.LocalAddress))
                {
                    continue;
                }

                var unicast = new List<IPEndPoint>();
                foreach (var gateway in snapshot.DefaultGateways)
                {
                    if (candidate.IsOnLink(gateway))
                    {
                        unicast.Add(new IPEndPoint(gateway, Seams.UnicastPort));
                    }
                }

                if (candidate.SupportsMulticast || unicast.Count > 0)
                {
                    sources.Add(new SearchSource(candidate, candidate.SupportsMulticast, unicast));
                }
            }

            if (sources.Count > 0)
            {
                return sources;
            }

            if (search.LocalAddress != null)
            {
                throw new UpnpException(
                    UpnpErrors.LocalAddressNotFound,
                    "No up network interface of this host has the address " + search.LocalAddress + " with multicast or a default gateway.",
                    search.LocalAddress);
            }

            throw new UpnpException(
                UpnpErrors.GatewayNotFound,
                "No UPnP gateway can be searched for: this host has no up IPv4 network interface that can multicast or has a default gateway; "
                + "connect to the network the router serves.");
        }

        internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
    }
}
