using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Nat;
using PSUpnp.Stun;

namespace PSUpnp.Engine
{
    /// <summary>
    /// The engine's façade: one method per operation (find, external address, add or renew, list, remove, NAT type),
    /// called alike by the cmdlets, the bench driver and the lab tests, so that what the tests prove is what users run.
    /// One instance serves one run (a cmdlet's pipeline, one bench command). It resolves the gateway through the session
    /// cache (discovering once per run, reading a description URL once per run), bounds every exchange with its one
    /// <see cref="Timeout"/>, and is the one place where a gateway that is gone is forgotten, by the session cache and by
    /// this run, so that the next call discovers again. Calls are made one at a time.
    /// </summary>
    internal sealed partial class UpnpEngine
    {
        private readonly Dictionary<Uri, UpnpGateway> _described = new Dictionary<Uri, UpnpGateway>();
        private readonly Dictionary<Uri, UpnpException> _unreadable = new Dictionary<Uri, UpnpException>();
        private readonly DiscoverySeams? _seams;
        private readonly IPAddress? _localAddress;
        private readonly bool _bypassCache;
        private UpnpGateway? _discovered;

        /// <param name="trace">Receives one line per exchange, and the engine's decisions.</param>
        /// <param name="timeout">The bound of discovery (with its description reads) and of each exchange with the gateway.</param>
        /// <param name="localAddress">Discover from this local interface only; any when null.</param>
        /// <param name="bypassCache">Always discover afresh (the bench measures discovery); the answer still replaces the cached one.</param>
        public UpnpEngine(ITraceSink? trace, TimeSpan timeout, IPAddress? localAddress = null, bool bypassCache = false)
            : this(trace, timeout, localAddress, bypassCache, null)
        {
        }

        /// <summary>The same, with discovery's outside world (the session cache among it) given by a test.</summary>
        internal UpnpEngine(ITraceSink? trace, TimeSpan timeout, IPAddress? localAddress, bool bypassCache, DiscoverySeams? seams)
        {
            if (timeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
            }

            Trace = trace ?? NullTraceSink.Instance;
            Timeout = timeout;
            _localAddress = localAddress;
            _bypassCache = bypassCache;
            _seams = seams;
        }

        public ITraceSink Trace { get; }

        /// <summary>The one budget: the whole discovery, and each exchange with the gateway.</summary>
        public TimeSpan Timeout { get; }

        private GatewayCache Cache => _seams?.Cache ?? GatewayCache.Shared;

        /// <summary>Find-UpnpGateway: always asks the network (or the description URL), never the session cache.</summary>
        public async Task<OperationResult<IReadOnlyList<UpnpGateway>>> FindGatewaysAsync(IPAddress? localAddress, Uri? location, bool all, CancellationToken cancellationToken)
        {
            var search = new GatewaySearch { Timeout = Timeout, All = all, LocalAddress = localAddress ?? _localAddress, Location = location, BypassCache = true };
            if (location != null)
            {
                return new OperationResult<IReadOnlyList<UpnpGateway>>(await Locator().FindAsync(search, cancellationToken).ConfigureAwait(false));
            }

            var (gateways, warnings) = await DiscoverAsync(search, true, cancellationToken).ConfigureAwait(false);
            if (!gateways.Any(g => g.Speaks(PortMappingMethod.UpnpIgd)) && Cache.Forget(GatewayCache.KeyOf(search.LocalAddress)))
            {
                // A fresh search found no UPnP IGD (switched off since): the gateway the session remembered would only
                // refuse the next call, so it goes, and the next call uses what this search found.
                Trace.Trace("Discovery: no UPnP IGD answered, so the session forgets the UPnP gateway it remembered");
            }

            return new OperationResult<IReadOnlyList<UpnpGateway>>(gateways, warnings);
        }

        /// <summary>
        /// The gateway to talk to: the one described at <paramref name="location"/> (read once per run: a CSV whose rows
        /// all name the same router reads it once, and one that cannot be read fails each row at once instead of waiting
        /// out the timeout again), or without one the gateway discovered once per run through the session cache.
        /// </summary>
        /// <exception cref="UpnpException">No gateway: the description cannot be read, or none answered.</exception>
        public async Task<OperationResult<UpnpGateway>> ResolveAsync(Uri? location, CancellationToken cancellationToken) =>
            new OperationResult<UpnpGateway>(await GatewayOfAsync(location, cancellationToken).ConfigureAwait(false));

        private async Task<UpnpGateway> GatewayOfAsync(Uri? location, CancellationToken cancellationToken)
        {
            if (location == null)
            {
                if (_discovered == null)
                {
                    var search = new GatewaySearch { Timeout = Timeout, LocalAddress = _localAddress, BypassCache = _bypassCache };
                    // FindAsync returns at least one gateway or throws UpnpGatewayNotFound itself.
                    _discovered = (await DiscoverAsync(search, false, cancellationToken).ConfigureAwait(false)).Gateways[0];
                    Trace.Trace("Using gateway " + _discovered);
                }

                return _discovered;
            }

            if (_unreadable.TryGetValue(location, out var failure))
            {
                throw failure;
            }

            if (!_described.TryGetValue(location, out var gateway))
            {
                try
                {
                    gateway = (await Locator().FindAsync(new GatewaySearch { Location = location, Timeout = Timeout }, cancellationToken).ConfigureAwait(false))[0];
                }
                catch (UpnpException ex)
                {
                    _unreadable[location] = ex;
                    throw;
                }

                _described[location] = gateway;
                Trace.Trace("Using gateway " + gateway + ", described at " + location);
            }

            return gateway;
        }

        /// <summary>Get-UpnpExternalAddress: the address with its status, and a warning when it is itself behind a NAT.</summary>
        public Task<OperationResult<UpnpExternalAddress>> GetExternalAddressAsync(UpnpGateway gateway, CancellationToken cancellationToken) =>
            GetExternalAddressAsync(gateway, null, cancellationToken);

        /// <summary>
        /// The one check of a request and the one place its defaults are applied (the internal client: the address of
        /// this host that reaches <paramref name="gateway"/>; the internal port: the external one; the lease as
        /// <see cref="LeaseDurationRule"/> allows). No I/O: a cmdlet shows the result in its ShouldProcess text.
        /// </summary>
        /// <exception cref="UpnpException">UpnpInvalidArgument: what is wrong with the request and what to give instead.</exception>
        public static PreparedPortMapping PrepareAddition(PortMappingRequest request, UpnpGateway gateway, PortMappingMethod? method = null)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            if (gateway == null)
            {
                throw new ArgumentNullException(nameof(gateway));
            }

            return new PreparedPortMapping(gateway, PortMappingTarget.From(request, gateway.LocalAddress), request.Force, request.IsRenewal, Ways.WayChoice.Choose(gateway, method), method);
        }

        /// <summary>Add-UpnpPortMapping: adds or renews the prepared mapping, with the external address; the warnings say what the router changed, and whether the mapping is unreachable.</summary>
        public async Task<OperationResult<PortMappingResult>> AddPortMappingAsync(PreparedPortMapping mapping, CancellationToken cancellationToken)
        {
            if (mapping == null)
            {
                throw new ArgumentNullException(nameof(mapping));
            }

            var check = StartAddressCheck(mapping, cancellationToken);
            PortMappingResult result;
            try
            {
                result = await AddByWayAsync(mapping, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (check != null)
            {
                // The add failed: the check beside it has nothing to qualify, but is awaited so that nothing outlives the call.
                await check.ConfigureAwait(false);
                throw;
            }

            Trace.Trace(result.Change + ": " + result.Mapping);
            var (checkedResult, warnings) = await WithAddressCheckAsync(mapping, result, check).ConfigureAwait(false);
            return new OperationResult<PortMappingResult>(checkedResult, warnings);
        }

        /// <summary>Get-UpnpPortMapping: the whole table read, then the mappings <paramref name="filter"/> selects (all when null).</summary>
        public async Task<OperationResult<IReadOnlyList<UpnpPortMapping>>> GetPortMappingsAsync(UpnpGateway gateway, PortMappingFilter? filter, IProgress<int>? progress, CancellationToken cancellationToken)
        {
            var table = await CallAsync(gateway, (igd, ct) => igd.GetPortMappingsAsync(progress, ct), cancellationToken).ConfigureAwait(false);
            return new OperationResult<IReadOnlyList<UpnpPortMapping>>(filter == null ? table : filter.Apply(table).ToList());
        }

        /// <summary>
        /// Remove-UpnpPortMapping: removes one mapping, the same way on every router (one that is not there is
        /// UpnpMappingNotFound); the value is the mapping as the router held it, null when it could not be known.
        /// </summary>
        public Task<OperationResult<UpnpPortMapping?>> RemovePortMappingAsync(UpnpGateway gateway, IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, CancellationToken cancellationToken) =>
            RemovePortMappingAsync(gateway, new Ways.MappingKey(remoteHost, externalPort, protocol), null, cancellationToken);

        /// <summary>
        /// Test-NatType: the STUN tests as <paramref name="options"/> say (their own schedule unless options.Timeout is
        /// given), and with <paramref name="crossCheck"/> the gateway's external address beside them, bounded by the same
        /// timeout or <see cref="NatTypeProbe.DefaultGatewayTimeout"/>. <see cref="NatTypeProbe"/> runs the two parts at
        /// once; the cross-check is this façade's (<see cref="CrossCheckAsync"/>).
        /// </summary>
        public Task<OperationResult<NatTypeResult>> TestNatTypeAsync(NatDiscoveryOptions options, bool crossCheck, CancellationToken cancellationToken)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            options.Trace = Trace;
            var search = crossCheck
                ? new GatewaySearch { LocalAddress = options.LocalAddress, Timeout = options.Timeout ?? NatTypeProbe.DefaultGatewayTimeout, BypassCache = _bypassCache }
                : null;
            return Wrap(TestNatTypeAsync(options, search, cancellationToken));
        }

        private static async Task<OperationResult<T>> Wrap<T>(Task<T> work) =>
            new OperationResult<T>(await work.ConfigureAwait(false));

        private GatewayLocator Locator() => _seams == null ? new GatewayLocator(Trace) : new GatewayLocator(Trace, null, _seams);

        /// <summary>One call to the gateway's connection service, each exchange bounded by <see cref="Timeout"/>.</summary>
        internal Task<T> CallAsync<T>(UpnpGateway gateway, Func<IgdClient, CancellationToken, Task<T>> action, CancellationToken cancellationToken) =>
            AskAsync(gateway, ct => action(new IgdClient(gateway, Trace, null, Timeout), ct), cancellationToken);

        /// <summary>One exchange with the gateway by any way; an error that means it is gone makes the engine forget it.</summary>
        internal async Task<T> AskAsync<T>(UpnpGateway gateway, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
        {
            try
            {
                return await work(cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpException ex)
            {
                ForgetIfGone(gateway, ex);
                throw;
            }
        }

        /// <summary>
        /// The one place a gateway that is gone (see <see cref="GatewayCache.MeansGatewayIsGone"/>) is forgotten: by the
        /// session cache, and by this run, so that the next call discovers (or reads the description) again instead of
        /// failing the same way. A gateway that answered, even with a refusal, stays.
        /// </summary>
        private void ForgetIfGone(UpnpGateway gateway, UpnpException error)
        {
            if (!Cache.ForgetIfGone(gateway, error))
            {
                return;
            }

            Trace.Trace("Forgot gateway " + gateway + " (" + error.ErrorId + "); the next call discovers again");
            if (_discovered != null && _discovered.ControlUrl == gateway.ControlUrl)
            {
                _discovered = null;
            }

            if (gateway.DescriptionUrl != null)
            {
                _described.Remove(gateway.DescriptionUrl);
            }
        }
    }
}
