using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.NatPmp;
using PSUpnp.Net;
using PSUpnp.Pcp;

namespace PSUpnp.Bench
{
    /// <summary>
    /// NAT-PMP and PCP adds and deletes, for bench/run's natpmp-add-delete and pcp-add-delete. Until the engine façade
    /// offers these ways (issue 11, the "ways" branch), they call NatPmpClient and PcpClient directly, bounded by
    /// --timeout-ms as the façade bounds every exchange.
    /// </summary>
    internal sealed partial class Commands
    {
        public async Task<IReadOnlyList<string>> NatPmpAddAsync(CancellationToken ct)
        {
            var (port, internalPort, protocol) = Mapping();
            var answer = await NatPmpClient().MapAsync(protocol, internalPort, port, Lease(), ct).ConfigureAwait(false);
            return new[] { JsonOutput.Line(w => JsonOutput.PortControlMapping(w, "NatPmp", answer.Protocol, answer.InternalPort, answer.ExternalPort, answer.Lifetime, answer.Epoch, null)) };
        }

        public async Task<IReadOnlyList<string>> NatPmpDeleteAsync(CancellationToken ct)
        {
            var (_, internalPort, protocol) = Mapping();
            await NatPmpClient().DeleteAsync(protocol, internalPort, ct).ConfigureAwait(false);
            return Array.Empty<string>();
        }

        public async Task<IReadOnlyList<string>> PcpAddAsync(CancellationToken ct)
        {
            var (port, internalPort, protocol) = Mapping();
            var nonce = Nonce() ?? PcpNonce.New();
            var answer = await PcpClient().MapAsync(protocol, internalPort, port, Lease(), nonce, ct).ConfigureAwait(false);
            return new[] { JsonOutput.Line(w => JsonOutput.PortControlMapping(w, "Pcp", answer.Protocol, answer.InternalPort, answer.ExternalPort, answer.Lifetime, answer.Epoch, answer.Nonce.ToString())) };
        }

        public async Task<IReadOnlyList<string>> PcpDeleteAsync(CancellationToken ct)
        {
            var (_, internalPort, protocol) = Mapping();
            var nonce = Nonce() ?? throw new UsageException("--nonce is required: a PCP deletion sends the nonce that made the mapping (pcp-add prints it).");
            await PcpClient().DeleteAsync(protocol, internalPort, nonce, ct).ConfigureAwait(false);
            return Array.Empty<string>();
        }

        private (int Port, int InternalPort, PortMappingProtocol Protocol) Mapping()
        {
            var port = _o.Int("external-port") ?? throw new UsageException("--external-port is required.");
            return (port, _o.Int("internal-port") ?? port, _o.Protocol("protocol", PortMappingProtocol.TCP));
        }

        private TimeSpan Lease() => TimeSpan.FromSeconds(_o.Int("lease-seconds") ?? 3600);

        private PcpNonce? Nonce()
        {
            var text = _o.String("nonce");
            try
            {
                return text == null ? null : PcpNonce.Parse(text);
            }
            catch (FormatException e)
            {
                throw new UsageException("--nonce: " + e.Message);
            }
        }

        private TimeSpan Timeout()
        {
            var timeout = _o.Int("timeout-ms");
            return timeout.HasValue ? TimeSpan.FromMilliseconds(timeout.Value) : GatewaySearch.DefaultTimeout;
        }

        /// <summary>--gateway, else this host's first default gateway (where NAT-PMP and PCP are asked).</summary>
        private IPAddress Gateway() =>
            _o.Address("gateway")
            ?? SystemLocalNetwork.Instance.Read().DefaultGateways.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? throw new UsageException("This host has no IPv4 default gateway: give --gateway IP.");

        private NatPmpClient NatPmpClient() => new NatPmpClient(Gateway(), Timeout(), _trace, null, _o.Address("local-address"));

        private PcpClient PcpClient() => new PcpClient(Gateway(), Timeout(), _trace, null, _o.Address("local-address"));
    }
}
