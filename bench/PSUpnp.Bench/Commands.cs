using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Nat;
using PSUpnp.Stun;

namespace PSUpnp.Bench
{
    /// <summary>Each subcommand makes the engine call its cmdlet makes, and renders the result as JSON lines.</summary>
    internal sealed class Commands
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
            _ => throw new UsageException($"Unknown command '{command}'."),
        };

        public async Task<IReadOnlyList<string>> DiscoverAsync(CancellationToken ct)
        {
            var gateways = await new GatewayLocator(_trace).FindAsync(Search(), ct).ConfigureAwait(false);
            var lines = new List<string>();
            foreach (var g in gateways)
            {
                lines.Add(JsonOutput.Line(w => JsonOutput.Gateway(w, g)));
            }

            return lines;
        }

        public async Task<IReadOnlyList<string>> ExternalAddressAsync(CancellationToken ct)
        {
            var client = await ClientAsync(ct).ConfigureAwait(false);
            var address = await client.GetExternalAddressAsync(ct).ConfigureAwait(false);
            return new[] { JsonOutput.Line(w => JsonOutput.ExternalAddress(w, address)) };
        }

        public async Task<IReadOnlyList<string>> AddAsync(CancellationToken ct)
        {
            var client = await ClientAsync(ct).ConfigureAwait(false);
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
            var result = await client.AddPortMappingAsync(request, ct).ConfigureAwait(false);
            foreach (var warning in result.Warnings)
            {
                Console.Error.WriteLine("WARNING: " + warning);
            }

            return new[] { JsonOutput.Line(w => JsonOutput.Mapping(w, result.Mapping, result.Change.ToString())) };
        }

        public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
        {
            var client = await ClientAsync(ct).ConfigureAwait(false);
            var mappings = await client.GetPortMappingsAsync(null, ct).ConfigureAwait(false);
            var lines = new List<string>(mappings.Count);
            foreach (var m in mappings)
            {
                lines.Add(JsonOutput.Line(w => JsonOutput.Mapping(w, m)));
            }

            return lines;
        }

        public async Task<IReadOnlyList<string>> DeleteAsync(CancellationToken ct)
        {
            var client = await ClientAsync(ct).ConfigureAwait(false);
            var port = _o.Int("external-port") ?? throw new UsageException("--external-port is required.");
            var protocol = _o.Protocol("protocol", PortMappingProtocol.TCP);
            if (_o.String("protocol") == null)
            {
                throw new UsageException("--protocol is required.");
            }

            await client.DeletePortMappingAsync(_o.Address("remote-host"), port, protocol, ct).ConfigureAwait(false);
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
                Trace = _trace ?? NullTraceSink.Instance,
            };

            // turnutils_natdiscovery, which bench/run compares this with, asks no gateway: only --with-gateway does.
            GatewaySearch? gateway = null;
            if (_o.Flag("with-gateway"))
            {
                gateway = Search();
                gateway.Timeout = timeout.HasValue ? gateway.Timeout : NatTypeProbe.DefaultGatewayTimeout;
            }

            var result = await NatTypeProbe.RunAsync(options, gateway, ct).ConfigureAwait(false);
            return new[] { JsonOutput.Line(w => JsonOutput.NatType(w, result)) };
        }

        public async Task<IgdClient> ClientAsync(CancellationToken ct)
        {
            var gateways = await new GatewayLocator(_trace).FindAsync(Search(), ct).ConfigureAwait(false);
            return new IgdClient(gateways[0], _trace);
        }

        private GatewaySearch Search()
        {
            var search = new GatewaySearch
            {
                All = _o.Flag("all"),
                LocalAddress = _o.Address("local-address"),
                Location = _o.Url("location"),
                BypassCache = true,
            };
            var timeout = _o.Int("timeout-ms");
            if (timeout.HasValue)
            {
                search.Timeout = TimeSpan.FromMilliseconds(timeout.Value);
            }

            return search;
        }
    }
}
