using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Engine;
using PSUpnp.Engine.Ways;
using PSUpnp.Net;

namespace PSUpnp.Bench
{
    /// <summary>
    /// NAT-PMP and PCP adds and deletes, for bench/run's natpmp-add-delete and pcp-add-delete, through the engine façade
    /// as the cmdlets make them (Add-UpnpPortMapping -Method NatPmp/Pcp), bounded by --timeout-ms. The router is
    /// --gateway or the default gateway, asked without discovery (UpnpEngine.RouterAt), since the bench times the add
    /// and the delete. A PCP mapping's nonce is the façade's derived one (the add prints it); --nonce gives it to a
    /// delete, as a saved mapping would.
    /// </summary>
    internal sealed partial class Commands
    {
        public Task<IReadOnlyList<string>> NatPmpAddAsync(CancellationToken ct) => AddByAsync(PortMappingMethod.NatPmp, ct);

        public Task<IReadOnlyList<string>> NatPmpDeleteAsync(CancellationToken ct) => DeleteByAsync(PortMappingMethod.NatPmp, ct);

        public Task<IReadOnlyList<string>> PcpAddAsync(CancellationToken ct) => AddByAsync(PortMappingMethod.Pcp, ct);

        public Task<IReadOnlyList<string>> PcpDeleteAsync(CancellationToken ct) => DeleteByAsync(PortMappingMethod.Pcp, ct);

        private async Task<IReadOnlyList<string>> AddByAsync(PortMappingMethod method, CancellationToken ct)
        {
            var (port, internalPort, protocol) = Mapping();
            var engine = Engine();
            var request = new PortMappingRequest { ExternalPort = port, InternalPort = internalPort, Protocol = protocol, LeaseDuration = Lease() };
            var result = Warn(await engine.AddPortMappingAsync(UpnpEngine.PrepareAddition(request, engine.RouterAt(Gateway()), method), ct).ConfigureAwait(false));
            var m = result.Mapping;
            return new[] { JsonOutput.Line(w => JsonOutput.PortControlMapping(w, method.ToString(), m.Protocol, m.InternalPort, m.ExternalPort, m.LeaseDuration, null, m.PcpNonce)) };
        }

        private async Task<IReadOnlyList<string>> DeleteByAsync(PortMappingMethod method, CancellationToken ct)
        {
            var (port, internalPort, protocol) = Mapping();
            var engine = Engine();
            await engine.RemovePortMappingAsync(engine.RouterAt(Gateway()), new MappingKey(null, port, protocol, internalPort, _o.String("nonce")), method, ct).ConfigureAwait(false);
            return Array.Empty<string>();
        }

        private (int Port, int InternalPort, PortMappingProtocol Protocol) Mapping()
        {
            var port = _o.Int("external-port") ?? throw new UsageException("--external-port is required.");
            return (port, _o.Int("internal-port") ?? port, _o.Protocol("protocol", PortMappingProtocol.TCP));
        }

        private TimeSpan Lease() => TimeSpan.FromSeconds(_o.Int("lease-seconds") ?? 3600);

        /// <summary>--gateway, else this host's first default gateway (where NAT-PMP and PCP are asked).</summary>
        private IPAddress Gateway() =>
            _o.Address("gateway")
            ?? SystemLocalNetwork.Instance.Read().DefaultGateways.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? throw new UsageException("This host has no IPv4 default gateway: give --gateway IP.");
    }
}
