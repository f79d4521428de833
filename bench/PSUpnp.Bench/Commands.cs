using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Engine;
using PSUpnp.Igd;
using PSUpnp.Nat;
using PSUpnp.Stun;

namespace PSUpnp.Bench
{
    /// <summary>Each subcommand makes the engine call its cmdlet makes, and renders the result as JSON lines.</summary>
    internal sealed partial class Commands
    {
        private readonly Options _o;
        private readonly ITraceSink? _trace;

        public Commands(Options options, ITraceSink? trace)
        {
            _o = options;
            _trace = trace;
        }

        public Task<IReadOnlyList<string>> RunAsync(string command, CancellationToken ct) => command switch
        {
            "discover" => DiscoverAsync(ct),
            "external-address" => ExternalAddressAsync(ct),
            "add" => AddAsync(ct),
            "list" => ListAsync(ct),
            "delete" => DeleteAsync(ct),
            "nat-type" => NatTypeAsync(ct),
            "natpmp-add" => NatPmpAddAsync(ct),
            "natpmp-delete" => NatPmpDeleteAsync(ct),
            "pcp-add" => PcpAddAsync(ct),
            "pcp-delete" => PcpDeleteAsync(ct),
            _ => throw new UsageException($"Unknown command '{command}'."),
        };

        public async Task<IReadOnlyList<string>> DiscoverAsync(CancellationToken ct)
        {
            var gateways = await Engine().FindGatewaysAsync(null, _o.Url("location"), _o.Flag("all"), ct).ConfigureAwait(false);
            var lines = new List<string>();
            foreach (var g in gateways.Value)
            {
                lines.Add(JsonOutput.Line(w => JsonOutput.Gateway(w, g)));
            }

            return lines;
        }

        public async Task<IReadOnlyList<string>> ExternalAddressAsync(CancellationToken ct)
        {
            var engine = Engine();
            var gateway = (await engine.ResolveAsync(_o.Url("location"), ct).ConfigureAwait(false)).Value;
            var address = Warn(await engine.GetExternalAddressAsync(gateway, ct).ConfigureAwait(false));
            return new[] { JsonOutput.Line(w => JsonOutput.ExternalAddress(w, address)) };
        }

        public async Task<IReadOnlyList<string>> AddAsync(CancellationToken ct)
        {
            var lease = _o.Int("lease-seconds");
            var request = new PortMappingRequest
            {
                ExternalPort = _o.Int("external-port") ?? throw new UsageException("--external-port is required."),
                InternalPort = _o.Int("internal-port") ?? 0,
                Protocol = _o.Protocol("protocol", PortMappingProtocol.TCP),
                InternalClient = _o.Address("internal-client"),
                Description = _o.String("description") ?? "PSUpnp",
                LeaseDuration = lease.HasValue ? TimeSpan.FromSeconds(lease.Value) : PortMappingRequest.DefaultLeaseDuration,
                RemoteHost = _o.Address("remote-host"),
                Force = _o.Flag("force"),
            };
            var engine = Engine();
            var gateway = (await engine.ResolveAsync(_o.Url("location"), ct).ConfigureAwait(false)).Value;
            var result = Warn(await engine.AddPortMappingAsync(UpnpEngine.PrepareAddition(request, gateway), ct).ConfigureAwait(false));
            return new[] { JsonOutput.Line(w => JsonOutput.Mapping(w, result.Mapping, result.Change.ToString())) };
        }

        public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
        {
            var engine = Engine();
            var gateway = (await engine.ResolveAsync(_o.Url("location"), ct).ConfigureAwait(false)).Value;
            var mappings = Warn(await engine.GetPortMappingsAsync(gateway, null, null, ct).ConfigureAwait(false));
            var lines = new List<string>(mappings.Count);
            foreach (var m in mappings)
            {
                lines.Add(JsonOutput.Line(w => JsonOutput.Mapping(w, m)));
            }

            return lines;
        }

        public async Task<IReadOnlyList<string>> DeleteAsync(CancellationToken ct)
        {
            var port = _o.Int("external-port") ?? throw new UsageException("--external-port is required.");
            var protocol = _o.Protocol("protocol", PortMappingProtocol.TCP);
            if (_o.String("protocol") == null)
            {
                throw new UsageException("--protocol is required.");
            }

            var engine = Engine();
            var gateway = (await engine.ResolveAsync(_o.Url("location"), ct).ConfigureAwait(false)).Value;
            Warn(await engine.RemovePortMappingAsync(gateway, _o.Address("remote-host"), port, protocol, ct).ConfigureAwait(false));
            return Array.Empty<string>();
        }

        public async Task<IReadOnlyList<string>> NatTypeAsync(CancellationToken ct)
        {
            var servers = _o.Strings("server");
            if (servers.Count == 0)
            {
                throw new UsageException("--server is required (HOST[:PORT], repeated or comma-separated).");
            }

            var timeout = _o.Int("timeout-ms");
            var options = new NatDiscoveryOptions
            {
                Servers = servers.ToList(),
                LocalAddress = _o.Address("local-address"),
                Timeout = timeout.HasValue ? TimeSpan.FromMilliseconds(timeout.Value) : null,
            };

            // turnutils_natdiscovery, which bench/run compares this with, asks no gateway: only --with-gateway does.
            var result = Warn(await Engine().TestNatTypeAsync(options, _o.Flag("with-gateway"), ct).ConfigureAwait(false));
            return new[] { JsonOutput.Line(w => JsonOutput.NatType(w, result)) };
        }

        private static T Warn<T>(OperationResult<T> result)
        {
            foreach (var warning in result.Warnings)
            {
                Console.Error.WriteLine("WARNING: " + warning);
            }

            return result.Value;
        }

        /// <summary>
        /// The façade the cmdlets call, one per command as a cmdlet's run has one, bounded by --timeout-ms. Every command
        /// discovers afresh (no session cache), since the bench times discovery as upnpc does it, each time.
        /// </summary>
        private UpnpEngine Engine()
        {
            var timeout = _o.Int("timeout-ms");
            return new UpnpEngine(
                _trace,
                timeout.HasValue ? TimeSpan.FromMilliseconds(timeout.Value) : GatewaySearch.DefaultTimeout,
                _o.Address("local-address"),
                bypassCache: true);
        }
    }
}
