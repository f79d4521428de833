using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Lab
{
    /// <summary>
    /// Records the lab miniupnpd's NAT-PMP and PCP answers on UDP 5351, byte for byte, as the project's fixtures
    /// (tests/PSUpnp.Tests/Fixtures/miniupnpd-natpmp-pcp). The requests are written here by hand from RFC 6886 and
    /// RFC 6887, independent of the engine's encoders. Runs in the lan namespace; leaves no mapping behind.
    /// </summary>
    internal sealed class PortControlCapture
    {
        // The nonce of every PCP MAP below, and another one for the same mapping.
        private const string Nonce = "0102030405060708090a0b0c";
        private const string OtherNonce = "a1a2a3a4a5a6a7a8a9aaabac";
        private const string AnyIPv4 = "00000000000000000000ffff00000000";
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

        private readonly LabEnvironment env;
        private readonly LabController lab;
        private readonly string outputDirectory;

        public PortControlCapture(LabEnvironment env, string outputDirectory)
        {
            this.env = env;
            lab = new LabController(env);
            this.outputDirectory = outputDirectory;
        }

        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            if (!env.IsCurrentProcessInLan())
            {
                Console.Error.WriteLine("capture-port-control-fixtures must run in the lab's lan namespace (" + env.LanNamespace + ").");
                return 1;
            }

            Directory.CreateDirectory(outputDirectory);
            var client = Mapped(env.LanAddress);
            const string Held = "18100";
            await lab.RunUpnpcDirectAsync(LabRole.Lan2, new[] { "-e", "held by lan2", "-a", env.Lan2Address.ToString(), Held, Held, "TCP", "3600" }, cancellationToken).ConfigureAwait(false);
            try
            {
                // NAT-PMP: version 0, opcode, then for a mapping reserved 0000, internal port, external port, lifetime.
                await CaptureAsync("natpmp-external-address", "0000", cancellationToken).ConfigureAwait(false);
                await CaptureAsync("natpmp-map-tcp", "0002" + "0000" + Port(18201) + Port(18201) + "00000e10", cancellationToken).ConfigureAwait(false);
                await CaptureAsync("natpmp-map-tcp-port-taken", "0002" + "0000" + Port(18100) + Port(18100) + "00000e10", cancellationToken).ConfigureAwait(false);
                await CaptureAsync("natpmp-map-tcp-denied-port", "0002" + "0000" + Port(env.MiniupnpdDeniedPort) + Port(18280) + "00000e10", cancellationToken).ConfigureAwait(false);
                await CaptureAsync("natpmp-delete-tcp", "0002" + "0000" + Port(18201) + "0000" + "00000000", cancellationToken).ConfigureAwait(false);
                await CaptureAsync("natpmp-delete-tcp-port-taken", "0002" + "0000" + Port(18100) + "0000" + "00000000", cancellationToken).ConfigureAwait(false);
                await CaptureAsync("natpmp-unsupported-opcode", "0003", cancellationToken).ConfigureAwait(false);
                // miniupnpd 2.3.1 does not answer this (RFC 6886 says it must): the capture records it as silent.
                await CaptureAsync("natpmp-unsupported-version", "0100", cancellationToken).ConfigureAwait(false);

                // PCP: version 2, opcode, reserved, lifetime, client address; MAP adds nonce, protocol, 3 reserved,
                // internal port, suggested external port and address; options follow.
                var header = "02" + "{0}" + "0000" + "{1}" + client;
                await CaptureAsync("pcp-announce", Format(header, "00", "00000000"), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-map-tcp", Format(header, "01", "00000e10") + Map(Nonce, 18301, 18301), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-map-tcp-renewal", Format(header, "01", "00001c20") + Map(Nonce, 18301, 18301), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-map-tcp-other-nonce", Format(header, "01", "00000e10") + Map(OtherNonce, 18301, 18301), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-delete-tcp-other-nonce", Format(header, "01", "00000000") + Map(OtherNonce, 18301, 0), cancellationToken).ConfigureAwait(false);
                // miniupnpd 2.3.1 checks no nonce: the other nonce's deletion removed the mapping, so this one finds none.
                await CaptureAsync("pcp-delete-tcp-absent", Format(header, "01", "00000000") + Map(Nonce, 18301, 0), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-map-tcp-port-taken", Format(header, "01", "00000e10") + Map(Nonce, 18100, 18100), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-delete-tcp-port-taken", Format(header, "01", "00000000") + Map(Nonce, 18100, 0), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-map-tcp-prefer-failure", Format(header, "01", "00000e10") + Map(Nonce, 18101, 18100) + "02000000", cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-delete-tcp-prefer-failure", Format(header, "01", "00000000") + Map(Nonce, 18101, 0), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-map-tcp-denied-port", Format(header, "01", "00000e10") + Map(Nonce, env.MiniupnpdDeniedPort, 18280), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-map-tcp-third-party", Format(header, "01", "00000e10") + Map(Nonce, 18302, 18302) + "01000010" + Mapped(env.Lan2Address), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-map-tcp-filter", Format(header, "01", "00000e10") + Map(Nonce, 18303, 18303) + "03000014" + "00" + "80" + "0000" + Mapped(env.WanAddress1), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-delete-tcp-filter", Format(header, "01", "00000000") + Map(Nonce, 18303, 0), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-unsupported-version", "03" + Format(header, "00", "00000000").Substring(2), cancellationToken).ConfigureAwait(false);
                await CaptureAsync("pcp-unsupported-opcode", Format(header, "05", "00000000"), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await lab.TryRunUpnpcDirectAsync(LabRole.Lan2, new[] { "-d", Held, "TCP" }, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }

        private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

        private static string Port(int port) => port.ToString("x4", CultureInfo.InvariantCulture);

        private static string Map(string nonce, int internalPort, int externalPort) => nonce + "06" + "000000" + Port(internalPort) + Port(externalPort) + AnyIPv4;

        private static string Mapped(IPAddress address) => "00000000000000000000ffff" + string.Concat(address.GetAddressBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

        /// <summary>Sends one request and saves the first answer from the router's port 5351 (or says it stayed silent).</summary>
        private async Task CaptureAsync(string name, string requestHex, CancellationToken cancellationToken)
        {
            var request = Enumerable.Range(0, requestHex.Length / 2).Select(i => byte.Parse(requestHex.AsSpan(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            var server = new IPEndPoint(env.RouterLanAddress, env.NatPmpPort);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(env.LanAddress, 0));
            await socket.SendToAsync(request, SocketFlags.None, server, cancellationToken).ConfigureAwait(false);
            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            window.CancelAfter(Wait);
            var buffer = new byte[1100];
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), window.Token).ConfigureAwait(false);
                    if (server.Equals(received.RemoteEndPoint))
                    {
                        var answer = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
                        File.WriteAllBytes(Path.Combine(outputDirectory, name + ".bin"), answer);
                        Console.WriteLine("wrote " + name + ".bin (" + answer.Length + " bytes) for " + requestHex);
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Console.WriteLine("silent: " + name + " (" + requestHex + ")");
            }
        }
    }
}
