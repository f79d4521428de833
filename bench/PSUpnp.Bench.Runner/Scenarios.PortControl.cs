using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PSUpnp.Bench;
using PSUpnp.Lab;

namespace PSUpnp.Bench.Runner
{
    /// <summary>
    /// Issue 11's rows: a NAT-PMP add and delete against natpmpc's (`natpmpc -a P P tcp 3600`, then lifetime 0) in the
    /// same run, and a PCP add and delete, which has no peer tool, against its floor: the bare MAP and delete datagrams
    /// to miniupnpd, the router's work included. The driver goes through the engine façade with -Method's choice, to
    /// the router's address without discovery (see Commands.PortControl.cs).
    /// </summary>
    internal sealed partial class Scenarios
    {
        public const string NatPmpAddDeleteName = "natpmp-add-delete";
        public const string PcpAddDeleteName = "pcp-add-delete";

        private const int OursNatPmpPort = 40110;
        private const int PeerNatPmpPort = 40111;
        private const int InProcessNatPmpPort = 40112;
        private const int FloorNatPmpPort = 40113;
        private const int OursPcpPort = 40120;
        private const int InProcessPcpPort = 40122;
        private const int FloorPcpPort = 40123;
        private const string BenchNonce = "62656e63682d6e6f6e636521";

        private Scenario NatPmpAddDelete()
        {
            string P(int port) => port.ToString(CultureInfo.InvariantCulture);
            var gateway = _env.RouterLanAddress.ToString();
            return new Scenario(NatPmpAddDeleteName, 0.5, "<= 0.5")
            {
                Ours = new[]
                {
                    _driver.Run("natpmp-add", "--gateway", gateway, "--external-port", P(OursNatPmpPort), "--protocol", "TCP", "--lease-seconds", "3600"),
                    _driver.Run("natpmp-delete", "--gateway", gateway, "--external-port", P(OursNatPmpPort), "--protocol", "TCP"),
                },
                Peer = new[]
                {
                    new Command("natpmpc", "-g", gateway, "-a", P(PeerNatPmpPort), P(PeerNatPmpPort), "tcp", "3600"),
                    new Command("natpmpc", "-g", gateway, "-a", P(PeerNatPmpPort), P(PeerNatPmpPort), "tcp", "0"),
                },
                InProcess = _driver.Run("bench", NatPmpAddDeleteName, "--runs", _runs, "--gateway", gateway, "--external-port", P(InProcessNatPmpPort), "--protocol", "TCP"),
                UdpRoundTrips = 2,
                FloorRule = "2 UDP (map, delete); natpmpc asks the external address first in each call, 4 in all",
                RouterFloor = _ => PortControlFloor(NatPmpRequest(FloorNatPmpPort, 3600), NatPmpRequest(FloorNatPmpPort, 0)),
                RouterFloorRule = "bare NAT-PMP map and delete datagrams to miniupnpd, one after the other, its work included",
                Check = i => Problems(
                    Expect(i.Ours[0].Lines.Count == 1 && JsonNumber(i.Ours[0].Lines[0], "ExternalPort") == OursNatPmpPort && JsonNumber(i.Ours[0].Lines[0], "LifetimeSeconds") == 3600, "the driver's NAT-PMP add did not report the mapping: " + i.Ours[0].StandardOutput + i.Ours[0].StandardError),
                    Expect(i.Ours[1].ExitCode == 0, "the driver's NAT-PMP delete failed: " + i.Ours[1].StandardError),
                    Expect(i.Peer[0].StandardOutput.Contains("Mapped public port " + P(PeerNatPmpPort) + " protocol TCP to local port " + P(PeerNatPmpPort) + " liftime 3600", StringComparison.Ordinal), "natpmpc -a did not confirm the mapping: " + i.Peer[0].StandardOutput),
                    Expect(i.Peer[1].StandardOutput.Contains("liftime 0", StringComparison.Ordinal), "natpmpc did not confirm the deletion: " + i.Peer[1].StandardOutput)),
            };
        }

        private Scenario PcpAddDelete()
        {
            string P(int port) => port.ToString(CultureInfo.InvariantCulture);
            var gateway = _env.RouterLanAddress.ToString();
            return new Scenario(PcpAddDeleteName, null, "none: no peer tool; compare ours_ms with router_floor_ms (ratio_to_floor)")
            {
                Ours = new[]
                {
                    _driver.Run("pcp-add", "--gateway", gateway, "--external-port", P(OursPcpPort), "--protocol", "TCP", "--lease-seconds", "3600"),
                    _driver.Run("pcp-delete", "--gateway", gateway, "--external-port", P(OursPcpPort), "--protocol", "TCP"),
                },
                PeerLabel = "(none: PCP has no reference client here)",
                InProcess = _driver.Run("bench", PcpAddDeleteName, "--runs", _runs, "--gateway", gateway, "--external-port", P(InProcessPcpPort), "--protocol", "TCP"),
                UdpRoundTrips = 2,
                FloorRule = "2 UDP (MAP, MAP with lifetime 0)",
                RouterFloor = _ => PortControlFloor(PcpRequest(FloorPcpPort, 3600), PcpRequest(FloorPcpPort, 0)),
                RouterFloorRule = "bare PCP MAP and delete datagrams to miniupnpd, one after the other, its work included",
                Check = i => Problems(
                    Expect(i.Ours[0].Lines.Count == 1 && JsonNumber(i.Ours[0].Lines[0], "ExternalPort") == OursPcpPort && System.Text.RegularExpressions.Regex.IsMatch(JsonString(i.Ours[0].Lines[0], "Nonce") ?? string.Empty, "^[0-9a-f]{24}$"), "the driver's PCP add did not report the mapping: " + i.Ours[0].StandardOutput + i.Ours[0].StandardError),
                    Expect(i.Ours[1].ExitCode == 0, "the driver's PCP delete failed: " + i.Ours[1].StandardError)),
            };
        }

        // RFC 6886 section 3.3, written here so that the floor does not depend on the encoder it is the floor of.
        private static byte[] NatPmpRequest(int port, uint lifetime) =>
            Hex("0002" + "0000" + port.ToString("x4", CultureInfo.InvariantCulture) + port.ToString("x4", CultureInfo.InvariantCulture) + lifetime.ToString("x8", CultureInfo.InvariantCulture));

        // RFC 6887 sections 7.1 and 11.1: the lan client as an IPv4-mapped address, TCP, ::ffff:0.0.0.0 suggested.
        private byte[] PcpRequest(int port, uint lifetime) =>
            Hex("02010000" + lifetime.ToString("x8", CultureInfo.InvariantCulture) + "00000000000000000000ffff" + string.Concat(_env.LanAddress.GetAddressBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)))
                + BenchNonce + "06000000" + port.ToString("x4", CultureInfo.InvariantCulture) + (lifetime == 0 ? 0 : port).ToString("x4", CultureInfo.InvariantCulture) + "00000000000000000000ffff00000000");

        /// <summary>The median of the requests sent one after the other on one socket, each waiting for its answer.</summary>
        private double PortControlFloor(params byte[][] requests)
        {
            var server = new IPEndPoint(_env.RouterLanAddress, _env.NatPmpPort);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
            socket.Bind(new IPEndPoint(_env.LanAddress, 0));
            var buffer = new byte[1100];
            double Sample()
            {
                var watch = Stopwatch.StartNew();
                foreach (var request in requests)
                {
                    socket.SendTo(request, server);
                    EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                    socket.ReceiveFrom(buffer, ref from);
                }

                return watch.Elapsed.TotalMilliseconds;
            }

            Sample(); // warm-up
            return Stats.Median(Enumerable.Range(0, FloorSamples).Select(_ => Sample()).ToList());
        }

        private static byte[] Hex(string hex) =>
            Enumerable.Range(0, hex.Length / 2).Select(i => byte.Parse(hex.AsSpan(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();

        private static long? JsonNumber(string line, string property)
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
        }
    }
}
