using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;

namespace PSUpnp.Pcp
{
    /// <summary>
    /// PCP (RFC 6887) to one server on UDP port 5351. Each request is one transaction on its own socket, sent again
    /// on section 8.1.1's schedule (3 s, doubling, with jitter) until an answer comes or the caller's timeout runs out.
    /// An answer counts only when it comes from the server's address and port, parses, answers the opcode sent and,
    /// for MAP, echoes the nonce, protocol and internal port; anything else is traced and the wait goes on. A refusal
    /// throws the <see cref="PcpException"/> of its result code; a server that does not speak version 2 (a NAT-PMP
    /// one included) a <see cref="PcpUnsupportedVersionException"/>; silence a <see cref="UpnpTimeoutException"/> (PcpTimeout).
    /// </summary>
    internal sealed class PcpClient
    {
        public const int ServerPort = 5351;

        private static readonly IReadOnlyCollection<PcpOption> NoOptions = Array.Empty<PcpOption>();

        private readonly ITraceSink _trace;
        private readonly ISystemClock _clock;
        private readonly IPAddress? _localAddress;
        private readonly Random _jitter;

        /// <param name="server">The PCP server: the host's default gateway (IPv4), or the router's IPv6 address for a pinhole.</param>
        /// <param name="timeout">The bound of each request, retransmissions included (the cmdlet's -TimeoutSec).</param>
        /// <param name="trace">Where each copy sent and each datagram ignored is traced.</param>
        /// <param name="clock">Stamps each answer's arrival (the epoch check compares it).</param>
        /// <param name="localAddress">The address to send from, which the requests name as the client's; by default the one the routing table picks.</param>
        /// <param name="port">The server port: 5351 but in tests.</param>
        /// <param name="jitter">RAND of the retransmission schedule; a seeded one in tests.</param>
        public PcpClient(IPAddress server, TimeSpan timeout, ITraceSink? trace = null, ISystemClock? clock = null, IPAddress? localAddress = null, int port = ServerPort, Random? jitter = null)
        {
            if (server == null)
            {
                throw new ArgumentNullException(nameof(server));
            }

            if (timeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
            }

            Server = new IPEndPoint(MappedAddress.Unmap(server), port);
            Timeout = timeout;
            _trace = trace ?? NullTraceSink.Instance;
            _clock = clock ?? SystemClock.Instance;
            _localAddress = localAddress == null ? null : MappedAddress.Unmap(localAddress);
            _jitter = jitter ?? new Random();
        }

        public IPEndPoint Server { get; }

        public TimeSpan Timeout { get; }

        /// <summary>ANNOUNCE: whether the server speaks PCP version 2, and its epoch.</summary>
        public async Task<PcpAnnounceAnswer> AnnounceAsync(CancellationToken cancellationToken)
        {
            var local = LocalAddress();
            var received = await ExchangeAsync(PcpEncoder.AnnounceRequest(local), local, PcpOpcode.Announce, null, "ANNOUNCE", cancellationToken).ConfigureAwait(false);
            return new PcpAnnounceAnswer(Server, received.Answer.Epoch, received.Answer.ResultCode, received.ReceivedAt);
        }

        /// <summary>MAP for this host: creates, or with the same nonce renews, the mapping of <paramref name="internalPort"/>.</summary>
        public Task<PcpMapAnswer> MapAsync(PortMappingProtocol protocol, int internalPort, int suggestedExternalPort, TimeSpan lifetime, PcpNonce nonce, CancellationToken cancellationToken) =>
            MapAsync(protocol, internalPort, suggestedExternalPort, lifetime, nonce, null, NoOptions, cancellationToken);

        /// <summary>
        /// MAP: creates, or with the same nonce renews, the mapping of <paramref name="internalPort"/>.
        /// <paramref name="suggestedExternalPort"/> 0 and a null <paramref name="suggestedExternalAddress"/> leave the
        /// choice to the router (of the sender's address family); <paramref name="options"/> may carry THIRD_PARTY,
        /// PREFER_FAILURE and FILTER. The lifetime is sent in whole seconds (rounded up), at least one.
        /// </summary>
        public Task<PcpMapAnswer> MapAsync(
            PortMappingProtocol protocol,
            int internalPort,
            int suggestedExternalPort,
            TimeSpan lifetime,
            PcpNonce nonce,
            IPAddress? suggestedExternalAddress,
            IReadOnlyCollection<PcpOption> options,
            CancellationToken cancellationToken)
        {
            var seconds = Math.Ceiling(lifetime.TotalSeconds);
            if (seconds < 1 || seconds > uint.MaxValue)
            {
                throw new UpnpException(UpnpErrors.InvalidArgument, "A PCP lifetime is 1 to " + uint.MaxValue + " seconds; " + lifetime + " is not (to delete a mapping, remove it).", lifetime);
            }

            CheckPort(internalPort, 1, "internal port");
            CheckPort(suggestedExternalPort, 0, "suggested external port");
            var what = string.Format(CultureInfo.InvariantCulture, "MAP {0} {1} (external {2}, {3} s, nonce {4})", protocol, internalPort, suggestedExternalPort, (uint)seconds, nonce);
            return SendMapAsync(protocol, internalPort, suggestedExternalPort, (uint)seconds, nonce, suggestedExternalAddress, options, what, cancellationToken);
        }

        /// <summary>Deletes the mapping this nonce made (MAP with lifetime 0); the router answers success also when it holds none.</summary>
        public Task<PcpMapAnswer> DeleteAsync(PortMappingProtocol protocol, int internalPort, PcpNonce nonce, CancellationToken cancellationToken) =>
            DeleteAsync(protocol, internalPort, nonce, NoOptions, cancellationToken);

        /// <summary>As <see cref="DeleteAsync(PortMappingProtocol, int, PcpNonce, CancellationToken)"/>, with the options the mapping was made with (THIRD_PARTY).</summary>
        public Task<PcpMapAnswer> DeleteAsync(PortMappingProtocol protocol, int internalPort, PcpNonce nonce, IReadOnlyCollection<PcpOption> options, CancellationToken cancellationToken)
        {
            CheckPort(internalPort, 1, "internal port");
            var what = string.Format(CultureInfo.InvariantCulture, "MAP {0} {1} deletion (lifetime 0, nonce {2})", protocol, internalPort, nonce);
            return SendMapAsync(protocol, internalPort, 0, 0, nonce, null, options, what, cancellationToken);
        }

        private static void CheckPort(int port, int min, string name)
        {
            if (port < min || port > 65535)
            {
                throw new UpnpException(UpnpErrors.InvalidArgument, string.Format(CultureInfo.InvariantCulture, "The {0} {1} is not a port PCP can map: give {2} to 65535.", name, port, min), port);
            }
        }

        private async Task<PcpMapAnswer> SendMapAsync(
            PortMappingProtocol protocol,
            int internalPort,
            int suggestedExternalPort,
            uint lifetimeSeconds,
            PcpNonce nonce,
            IPAddress? suggestedExternalAddress,
            IReadOnlyCollection<PcpOption> options,
            string what,
            CancellationToken cancellationToken)
        {
            if (nonce == null || options == null)
            {
                throw new ArgumentNullException(nonce == null ? nameof(nonce) : nameof(options));
            }

            var local = LocalAddress();
            var external = suggestedExternalAddress
                ?? (local.AddressFamily == AddressFamily.InterNetwork ? PcpAddress.AnyIPv4 : IPAddress.IPv6Any);
            var protocolNumber = PcpEncoder.ProtocolNumber(protocol);
            var request = PcpEncoder.MapRequest(local, lifetimeSeconds, nonce, protocolNumber, internalPort, suggestedExternalPort, external, options);
            var echo = new MapEcho(nonce, protocolNumber, internalPort);
            var received = await ExchangeAsync(request, local, PcpOpcode.Map, echo, what, cancellationToken).ConfigureAwait(false);
            var answer = received.Answer;
            var thirdParty = options.FirstOrDefault(o => o.Code == (byte)PcpOptionCode.ThirdParty);
            return new PcpMapAnswer(
                Server,
                protocol,
                thirdParty != null ? PcpAddress.Read(thirdParty.GetData(), 0) : local,
                answer.InternalPort,
                answer.ExternalAddress!,
                answer.ExternalPort,
                TimeSpan.FromSeconds(answer.LifetimeSeconds),
                answer.Epoch,
                answer.ResultCode,
                answer.Nonce!,
                answer.Options,
                received.ReceivedAt);
        }

        private IPAddress LocalAddress() => _localAddress ?? MappedAddress.Unmap(SystemLocalNetwork.Instance.GetRouteSource(Server.Address));

        private async Task<Received<PcpResponse>> ExchangeAsync(byte[] request, IPAddress local, PcpOpcode opcode, MapEcho? echo, string what, CancellationToken cancellationToken)
        {
            var result = await UdpTransaction.RunAsync(
                "PCP " + what,
                new IPEndPoint(local, 0),
                Server,
                request,
                PcpRetransmission.Waits(_jitter),
                Timeout,
                (data, count, source) => Judge(data, count, source, opcode, echo, what),
                _trace,
                cancellationToken).ConfigureAwait(false);
            if (result.Answer == null)
            {
                throw new UpnpTimeoutException(
                    UpnpErrors.PcpTimeout,
                    string.Format(CultureInfo.InvariantCulture, "The router {0} did not answer the PCP {1} within {2:0.###} s ({3} copies sent).", Server, what, Timeout.TotalSeconds, result.Transmissions),
                    Timeout,
                    Server);
            }

            return result.Answer;
        }

        /// <summary>Whether a datagram answers the request in flight; a refusal from the server ends it with its error.</summary>
        private UdpVerdict<Received<PcpResponse>> Judge(byte[] data, int count, IPEndPoint source, PcpOpcode opcode, MapEcho? echo, string what)
        {
            if (!source.Equals(Server))
            {
                return UdpVerdict<Received<PcpResponse>>.Ignore("not from the server " + Server + ".");
            }

            PcpResponse response;
            try
            {
                response = PcpResponse.Parse(data, 0, count);
            }
            catch (PcpException e)
            {
                return UdpVerdict<Received<PcpResponse>>.Ignore(e.Message);
            }

            if (response.IsUnsupportedVersion)
            {
                throw new PcpUnsupportedVersionException(
                    response.Version == 0
                        ? string.Format(CultureInfo.InvariantCulture, "The router {0} answered the PCP {1} as a NAT-PMP server (version 0, unsupported version): it speaks NAT-PMP, not PCP.", Server, what)
                        : string.Format(CultureInfo.InvariantCulture, "The router {0} answered the PCP {1} with UNSUPP_VERSION: it speaks PCP version {2}, not {3}.", Server, what, response.Version, PcpEncoder.Version),
                    response.Version,
                    Server);
            }

            if (response.Opcode != opcode)
            {
                return UdpVerdict<Received<PcpResponse>>.Ignore(string.Format(CultureInfo.InvariantCulture, "it answers opcode {0}, not {1}.", (int)response.Opcode, (int)opcode));
            }

            // A header-only refusal cannot echo the request; it is trusted as far as its source is.
            if (echo != null && !response.IsHeaderOnly)
            {
                if (!echo.Nonce.Equals(response.Nonce))
                {
                    return UdpVerdict<Received<PcpResponse>>.Ignore("it does not echo the request's nonce (" + response.Nonce + ", not " + echo.Nonce + ").");
                }

                if (response.Protocol != echo.Protocol || response.InternalPort != echo.InternalPort)
                {
                    return UdpVerdict<Received<PcpResponse>>.Ignore(string.Format(CultureInfo.InvariantCulture, "it answers protocol {0} port {1}, not protocol {2} port {3}.", response.Protocol, response.InternalPort, echo.Protocol, echo.InternalPort));
                }
            }

            if (response.ResultCode != PcpResultCode.Success)
            {
                throw PcpResultCodes.Refusal(response.ResultCode, TimeSpan.FromSeconds(response.LifetimeSeconds), what, Server);
            }

            return UdpVerdict<Received<PcpResponse>>.Accept(new Received<PcpResponse>(response, _clock.UtcNow));
        }

        private sealed class MapEcho
        {
            public MapEcho(PcpNonce nonce, byte protocol, int internalPort)
            {
                Nonce = nonce;
                Protocol = protocol;
                InternalPort = internalPort;
            }

            public PcpNonce Nonce { get; }

            public byte Protocol { get; }

            public int InternalPort { get; }
        }
    }
}
