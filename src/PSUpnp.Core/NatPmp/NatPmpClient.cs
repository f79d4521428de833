using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;

namespace PSUpnp.NatPmp
{
    /// <summary>
    /// NAT-PMP (RFC 6886) to one gateway on UDP port 5351. Each request is one transaction on its own socket, sent
    /// again after 250 ms, 500 ms, 1 s, ... (section 3.1) until an answer comes or the caller's timeout runs out. An
    /// answer counts only when it comes from the gateway's address and port, parses, answers the opcode sent and (for
    /// a mapping) the internal port asked for; anything else is traced and the wait goes on. A refusal throws the
    /// <see cref="NatPmpException"/> of its result code; silence a <see cref="UpnpTimeoutException"/> (NatPmpTimeout).
    /// </summary>
    internal sealed class NatPmpClient
    {
        public const int ServerPort = 5351;

        /// <summary>RFC 6886 section 3.1: 250 ms first, doubling, nine transmissions in all.</summary>
        public static readonly IReadOnlyList<TimeSpan> Rfc6886Waits = Doubling(TimeSpan.FromMilliseconds(250), 9);

        private readonly ITraceSink _trace;
        private readonly ISystemClock _clock;
        private readonly IPAddress? _localAddress;

        /// <param name="gateway">The router (the host's default gateway); IPv4, as NAT-PMP is.</param>
        /// <param name="timeout">The bound of each request, retransmissions included (the cmdlet's -TimeoutSec).</param>
        /// <param name="trace">Where each copy sent and each datagram ignored is traced.</param>
        /// <param name="clock">Stamps each answer's arrival (the epoch check compares it).</param>
        /// <param name="localAddress">The address to send from; by default the one the routing table picks for the gateway.</param>
        /// <param name="port">The server port: 5351 but in tests.</param>
        public NatPmpClient(IPAddress gateway, TimeSpan timeout, ITraceSink? trace = null, ISystemClock? clock = null, IPAddress? localAddress = null, int port = ServerPort)
        {
            if (gateway == null)
            {
                throw new ArgumentNullException(nameof(gateway));
            }

            if (timeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
            }

            Gateway = new IPEndPoint(MappedAddress.Unmap(gateway), port);
            Timeout = timeout;
            _trace = trace ?? NullTraceSink.Instance;
            _clock = clock ?? SystemClock.Instance;
            _localAddress = localAddress;
        }

        public IPEndPoint Gateway { get; }

        public TimeSpan Timeout { get; }

        /// <summary>The router's external IPv4 address (0.0.0.0 when it has none yet) and its epoch.</summary>
        public async Task<NatPmpExternalAddressAnswer> GetExternalAddressAsync(CancellationToken cancellationToken)
        {
            var response = await ExchangeAsync(NatPmpEncoder.ExternalAddressRequest(), NatPmpOpcode.ExternalAddress, null, "external address request", cancellationToken).ConfigureAwait(false);
            return new NatPmpExternalAddressAnswer(Gateway, response.Answer.ExternalAddress!, response.Answer.Epoch, response.Answer.ResultCode, response.ReceivedAt);
        }

        /// <summary>
        /// Creates or renews the mapping of <paramref name="internalPort"/> (a renewal is the same request again).
        /// <paramref name="suggestedExternalPort"/> 0 lets the router choose; the answer says which port and lifetime
        /// it granted. The lifetime is sent in whole seconds (rounded up), at least one.
        /// </summary>
        public Task<NatPmpMappingAnswer> MapAsync(PortMappingProtocol protocol, int internalPort, int suggestedExternalPort, TimeSpan lifetime, CancellationToken cancellationToken)
        {
            var seconds = Math.Ceiling(lifetime.TotalSeconds);
            if (seconds < 1 || seconds > uint.MaxValue)
            {
                throw new UpnpException(UpnpErrors.InvalidArgument, "A NAT-PMP lifetime is 1 to " + uint.MaxValue + " seconds; " + lifetime + " is not (to delete a mapping, remove it).", lifetime);
            }

            CheckPort(internalPort, 1, "internal port");
            CheckPort(suggestedExternalPort, 0, "suggested external port");
            var request = NatPmpEncoder.MapRequest(protocol, internalPort, suggestedExternalPort, (uint)seconds);
            var what = string.Format(CultureInfo.InvariantCulture, "mapping of {0} {1} (external {2}, {3} s)", protocol, internalPort, suggestedExternalPort, (uint)seconds);
            return MappingAsync(request, protocol, internalPort, what, cancellationToken);
        }

        /// <summary>
        /// Deletes this host's mapping of <paramref name="internalPort"/> (RFC 6886 section 3.4: lifetime 0, external port
        /// 0); internal port 0 deletes all of this host's mappings of the protocol. The router answers success also when
        /// there was no such mapping.
        /// </summary>
        public Task<NatPmpMappingAnswer> DeleteAsync(PortMappingProtocol protocol, int internalPort, CancellationToken cancellationToken)
        {
            CheckPort(internalPort, 0, "internal port");
            var what = string.Format(CultureInfo.InvariantCulture, "deletion of {0} {1}", protocol, internalPort == 0 ? "(all)" : internalPort.ToString(CultureInfo.InvariantCulture));
            return MappingAsync(NatPmpEncoder.DeleteRequest(protocol, internalPort), protocol, internalPort, what, cancellationToken);
        }

        private static IReadOnlyList<TimeSpan> Doubling(TimeSpan first, int count)
        {
            var waits = new List<TimeSpan>(count);
            for (var i = 0; i < count; i++)
            {
                waits.Add(TimeSpan.FromTicks(first.Ticks << i));
            }

            return waits;
        }

        private static void CheckPort(int port, int min, string name)
        {
            if (port < min || port > 65535)
            {
                throw new UpnpException(UpnpErrors.InvalidArgument, string.Format(CultureInfo.InvariantCulture, "The {0} {1} is not a port NAT-PMP can map: give {2} to 65535.", name, port, min), port);
            }
        }

        private async Task<NatPmpMappingAnswer> MappingAsync(byte[] request, PortMappingProtocol protocol, int internalPort, string what, CancellationToken cancellationToken)
        {
            var response = await ExchangeAsync(request, NatPmpEncoder.OpcodeOf(protocol), internalPort, what, cancellationToken).ConfigureAwait(false);
            var answer = response.Answer;
            return new NatPmpMappingAnswer(Gateway, protocol, answer.InternalPort, answer.ExternalPort, TimeSpan.FromSeconds(answer.LifetimeSeconds), answer.Epoch, answer.ResultCode, response.ReceivedAt);
        }

        private async Task<Received<NatPmpResponse>> ExchangeAsync(byte[] request, NatPmpOpcode opcode, int? internalPort, string what, CancellationToken cancellationToken)
        {
            var local = new IPEndPoint(_localAddress ?? SystemLocalNetwork.Instance.GetRouteSource(Gateway.Address), 0);
            var result = await UdpTransaction.RunAsync(
                "NAT-PMP " + what,
                local,
                Gateway,
                request,
                Rfc6886Waits,
                Timeout,
                (data, count, source) => Judge(data, count, source, opcode, internalPort, what),
                _trace,
                cancellationToken).ConfigureAwait(false);
            if (result.Answer == null)
            {
                throw new UpnpTimeoutException(
                    UpnpErrors.NatPmpTimeout,
                    string.Format(CultureInfo.InvariantCulture, "The router {0} did not answer the NAT-PMP {1} within {2:0.###} s ({3} copies sent).", Gateway, what, Timeout.TotalSeconds, result.Transmissions),
                    Timeout,
                    Gateway);
            }

            return result.Answer;
        }

        /// <summary>Whether a datagram answers the request in flight; a refusal from the gateway ends it with its error.</summary>
        private UdpVerdict<Received<NatPmpResponse>> Judge(byte[] data, int count, IPEndPoint source, NatPmpOpcode opcode, int? internalPort, string what)
        {
            if (!source.Equals(Gateway))
            {
                return UdpVerdict<Received<NatPmpResponse>>.Ignore("not from the gateway " + Gateway + ".");
            }

            // A router that speaks only PCP answers a version-0 request in PCP's format: its version, R bit and UNSUPP_VERSION.
            if (count >= 4 && data[0] != NatPmpEncoder.Version && (data[1] & 0x80) != 0 && data[3] == (byte)NatPmpResultCode.UnsupportedVersion)
            {
                throw new NatPmpException(
                    UpnpErrors.NatPmpUnsupportedVersion,
                    string.Format(CultureInfo.InvariantCulture, "The router {0} answered the NAT-PMP {1} in version {2} (PCP) with UNSUPP_VERSION: it does not speak NAT-PMP.", Gateway, what, data[0]),
                    (int)NatPmpResultCode.UnsupportedVersion,
                    Gateway);
            }

            NatPmpResponse response;
            try
            {
                response = NatPmpResponse.Parse(data, 0, count);
            }
            catch (NatPmpException e)
            {
                return UdpVerdict<Received<NatPmpResponse>>.Ignore(e.Message);
            }

            if (response.ResultCode == NatPmpResultCode.UnsupportedVersion && response.IsHeaderOnly)
            {
                throw NatPmpResultCodes.Refusal(response.ResultCode, what, Gateway);
            }

            if (response.RequestOpcode != opcode)
            {
                return UdpVerdict<Received<NatPmpResponse>>.Ignore(string.Format(CultureInfo.InvariantCulture, "it answers opcode {0}, not {1}.", (int)response.RequestOpcode, (int)opcode));
            }

            if (internalPort.HasValue && !response.IsHeaderOnly && response.InternalPort != internalPort.Value)
            {
                return UdpVerdict<Received<NatPmpResponse>>.Ignore(string.Format(CultureInfo.InvariantCulture, "it answers internal port {0}, not {1}.", response.InternalPort, internalPort.Value));
            }

            if (response.ResultCode != NatPmpResultCode.Success)
            {
                throw NatPmpResultCodes.Refusal(response.ResultCode, what, Gateway);
            }

            return UdpVerdict<Received<NatPmpResponse>>.Accept(new Received<NatPmpResponse>(response, _clock.UtcNow));
        }
    }
}
