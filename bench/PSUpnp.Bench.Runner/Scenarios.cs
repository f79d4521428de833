using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Lab;

namespace PSUpnp.Bench.Runner
{
    /// <summary>
    /// The scenarios of issue 4, in the order they run, built from the lab's address plan; then those of issue 9, what
    /// a PowerShell user waits for (Scenarios.PowerShell.cs).
    /// </summary>
    internal sealed partial class Scenarios
    {
        /// <summary>How many mappings list-100 lists; half TCP, half UDP.</summary>
        public const int ListedMappings = 100;

        private const int ListFirstPort = 42000;
        private const int OursAddPort = 40100;
        private const int PeerAddPort = 40101;
        private const int InProcessAddPort = 40102;
        private const int FloorAddPort = 40103;
        private const int FloorSamples = 11;
        private const string BenchDescription = "psupnp-bench";

        // Remaining leases tick while the two listings are read one after the other.
        private const long LeaseToleranceSeconds = 2;

        private readonly LabEnvironment _env;
        private readonly LabController _lab;
        private readonly Driver _driver;
        private readonly string _runs;
        private readonly string _url;

        private readonly PowerShellHost _pwsh;

        public Scenarios(LabEnvironment environment, LabController lab, Driver driver, PowerShellHost pwsh, int runs)
        {
            _env = environment;
            _lab = lab;
            _driver = driver;
            _pwsh = pwsh;
            _runs = runs.ToString(CultureInfo.InvariantCulture);
            _url = environment.RootDescriptionUrl.ToString();
        }

        public static readonly IReadOnlyList<(string Name, NatMode Mode)> NatScenarios = new[]
        {
            ("nat-open", NatMode.Open),
            ("nat-fullcone", NatMode.FullCone),
            ("nat-cone", NatMode.PortRestricted),
            ("nat-restricted", NatMode.AddressRestricted),
            ("nat-symmetric", NatMode.Symmetric),
            ("nat-udpblocked", NatMode.UdpBlocked),
        };

        public static IReadOnlyList<string> Names { get; } =
            new[] { "discover", "discover-location", "add-delete", "list-100", NatPmpAddDeleteName, PcpAddDeleteName }.Concat(NatScenarios.Select(n => n.Name))
                .Concat(new[] { RenewScriptName, CmdletsName }).ToList();

        private string ControlUrl => "http://" + _env.RouterLanAddress + ":" + _env.MiniupnpdHttpPort.ToString(CultureInfo.InvariantCulture) + "/ctl/IPConn";

        public IReadOnlyList<Scenario> All()
        {
            var all = new List<Scenario> { Discover(), DiscoverLocation(), AddDelete(), List100(), NatPmpAddDelete(), PcpAddDelete() };
            all.AddRange(NatScenarios.Select(n => Nat(n.Name, n.Mode)));
            all.Add(RenewScript());
            return all;
        }

        private Scenario Discover() => new Scenario("discover", 0.05, "<= 0.05: the router itself waits 50 ms before it answers; upnpc waits 2 s")
        {
            Ours = new[] { _driver.Run("discover") },
            Peer = new[] { new Command("upnpc", "-s") },
            InProcess = _driver.Run("bench", "discover", "--runs", _runs),
            UdpRoundTrips = 1,
            HttpRoundTrips = 1,
            FixedWaitMs = Floors.SsdpAnswerDelayMs,
            FloorRule = "1 UDP (M-SEARCH) + miniupnpd's fixed 50 ms + 1 HTTP (description)",
            Check = i => FoundGateway(i),
        };

        private Scenario DiscoverLocation() => new Scenario("discover-location", 0.5, "<= 0.5")
        {
            Ours = new[] { _driver.Run("discover", "--location", _url) },
            Peer = new[] { new Command("upnpc", "-u", _url, "-s") },
            InProcess = _driver.Run("bench", "discover-location", "--runs", _runs, "--location", _url),
            HttpRoundTrips = 1,
            FloorRule = "1 HTTP (description)",
            Check = i => FoundGateway(i),
        };

        private Scenario AddDelete()
        {
            string P(int port) => port.ToString(CultureInfo.InvariantCulture);
            return new Scenario("add-delete", 0.5, "<= 0.5")
            {
                Ours = new[]
                {
                    _driver.Run("add", "--location", _url, "--external-port", P(OursAddPort), "--internal-port", P(OursAddPort), "--protocol", "TCP", "--description", BenchDescription),
                    _driver.Run("delete", "--location", _url, "--external-port", P(OursAddPort), "--protocol", "TCP"),
                },
                Peer = new[]
                {
                    new Command("upnpc", "-u", _url, "-e", BenchDescription, "-a", _env.LanAddress.ToString(), P(PeerAddPort), P(PeerAddPort), "TCP"),
                    new Command("upnpc", "-u", _url, "-d", P(PeerAddPort), "TCP"),
                },
                InProcess = _driver.Run("bench", "add-delete", "--runs", _runs, "--location", _url, "--external-port", P(InProcessAddPort),
                    "--internal-port", P(InProcessAddPort), "--protocol", "TCP", "--description", BenchDescription),
                HttpRoundTrips = 3,
                FloorRule = "3 HTTP (description, AddPortMapping, DeletePortMapping)",
                RouterFloor = f => f.HttpMs + Floors.MeasureSoap(_env, FloorSamples, ("AddPortMapping", AddArguments(FloorAddPort)), ("DeletePortMapping", KeyArguments(FloorAddPort, "TCP"))),
                RouterFloorRule = "GET description + bare AddPortMapping POST + bare DeletePortMapping POST, miniupnpd's work for them included",
                Check = i => Problems(
                    Expect(i.Ours[0].Lines.Count == 1 && JsonString(i.Ours[0].Lines[0], "Change") == "Created", "the driver's add did not report Created: " + i.Ours[0].StandardOutput),
                    Expect(i.Peer[0].StandardOutput.Contains("is redirected to internal", StringComparison.Ordinal), "upnpc -a did not confirm the mapping: " + i.Peer[0].StandardOutput),
                    Expect(i.Peer[1].StandardOutput.Contains("returned : 0", StringComparison.Ordinal), "upnpc -d did not confirm the deletion: " + i.Peer[1].StandardOutput)),
            };
        }

        private Scenario List100() => new Scenario("list-100", 0.5, "<= 0.5 against upnpc -l (upnpc -L reported beside it)")
        {
            Ours = new[] { _driver.Run("list", "--location", _url) },
            Peer = new[] { new Command("upnpc", "-u", _url, "-l") },
            PeerL = new[] { new Command("upnpc", "-u", _url, "-L") },
            InProcess = _driver.Run("bench", "list", "--runs", _runs, "--location", _url),
            HttpRoundTrips = 2,
            FloorRule = "2 HTTP (description; GetListOfPortMappings for TCP and UDP at once)",
            RouterFloor = f => f.HttpMs + Floors.MeasureSoap(_env, FloorSamples, ("GetListOfPortMappings", ListArguments("TCP")), ("GetListOfPortMappings", ListArguments("UDP"))),
            RouterFloorRule = "GET description + bare GetListOfPortMappings POSTs for TCP and UDP one after the other (miniupnpd serves one request at a time), its work included",
            Setup = CreateMappingsAsync,
            Teardown = () => _lab.RestartMiniupnpdAsync(),
            Check = ListingsAgree,
        };

        private Scenario Nat(string name, NatMode mode)
        {
            var silent = mode != NatMode.Open && mode != NatMode.FullCone;
            var client = _env.ClientAddressFor(mode).ToString();
            var server = _env.StunServer.ToString();
            return new Scenario(
                name,
                silent ? 0.25 : 1.0,
                silent ? "<= 0.25: a test must wait out silence" : "<= 1.0: every test is answered")
            {
                NatMode = mode,
                Ours = new[] { _driver.Run("nat-type", "--server", server, "--local-address", client) },
                Peer = new[]
                {
                    new Command("turnutils_natdiscovery", "-m", "-f", "-L", client, "-p", _env.StunPort.ToString(CultureInfo.InvariantCulture), _env.WanAddress1.ToString()),
                },
                InProcess = _driver.Run("bench", "nat-type", "--runs", _runs, "--server", server, "--local-address", client),
                UdpRoundTrips = mode == NatMode.UdpBlocked ? 1 : 2,
                FloorRule = mode == NatMode.UdpBlocked
                    ? "1 UDP (the time an answer to test I would take); the rest is waiting out silence"
                    : silent ? "2 UDP (test I, then the other tests at once); waiting out silence comes on top" : "2 UDP (test I, then the other tests at once)",
                Setup = () => _lab.SetNatModeAsync(mode),
                Teardown = () => _lab.SetNatModeAsync(_env.DefaultNatMode),
                Check = i => VerdictsAgree(i, mode),
            };
        }

        private static string KeyArguments(int port, string protocol) =>
            "<NewRemoteHost></NewRemoteHost><NewExternalPort>" + port.ToString(CultureInfo.InvariantCulture) + "</NewExternalPort><NewProtocol>" + protocol + "</NewProtocol>";

        private string AddArguments(int port) =>
            KeyArguments(port, "TCP") + "<NewInternalPort>" + port.ToString(CultureInfo.InvariantCulture) + "</NewInternalPort><NewInternalClient>" + _env.LanAddress
            + "</NewInternalClient><NewEnabled>1</NewEnabled><NewPortMappingDescription>" + BenchDescription + "</NewPortMappingDescription><NewLeaseDuration>3600</NewLeaseDuration>";

        private static string ListArguments(string protocol) =>
            "<NewStartPort>1</NewStartPort><NewEndPort>65535</NewEndPort><NewProtocol>" + protocol + "</NewProtocol><NewManage>0</NewManage><NewNumberOfPorts>1000</NewNumberOfPorts>";

        private async Task CreateMappingsAsync()
        {
            // A fresh router: nothing but the listed mappings in its table.
            await _lab.RestartMiniupnpdAsync().ConfigureAwait(false);
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var gateways = await new GatewayLocator().FindAsync(new GatewaySearch { Location = _env.RootDescriptionUrl }, bound.Token).ConfigureAwait(false);
            var client = new IgdClient(gateways[0]);
            for (var i = 0; i < ListedMappings; i++)
            {
                var port = ListFirstPort + i;
                await client.AddPortMappingAsync(
                    new PortMappingRequest
                    {
                        ExternalPort = port,
                        InternalPort = port,
                        Protocol = i % 2 == 0 ? PortMappingProtocol.TCP : PortMappingProtocol.UDP,
                        Description = BenchDescription + " " + i.ToString("000", CultureInfo.InvariantCulture),
                        LeaseDuration = TimeSpan.FromHours(1),
                    },
                    bound.Token).ConfigureAwait(false);
            }
        }

        private IReadOnlyList<string> FoundGateway(Iteration i) => Problems(
            Expect(
                i.Ours[0].Lines.Count == 1 && JsonString(i.Ours[0].Lines[0], "ControlUrl") == ControlUrl,
                "the driver did not return the lab router (" + ControlUrl + "): " + i.Ours[0].StandardOutput),
            Expect(
                i.Peer[0].StandardOutput.Contains("Found valid IGD : " + ControlUrl, StringComparison.Ordinal),
                "upnpc did not find the lab router (" + ControlUrl + "): " + i.Peer[0].StandardOutput));

        private IReadOnlyList<string> ListingsAgree(Iteration i)
        {
            var ours = Listing.ParseDriver(i.Ours[0].Lines);
            var problems = new List<string>();
            if (ours.Count != ListedMappings)
            {
                problems.Add("the driver listed " + ours.Count + " mappings, not the " + ListedMappings + " created");
            }

            problems.AddRange(Listing.Compare(ours, Listing.ParseUpnpc(i.Peer[0].StandardOutput), "upnpc -l", LeaseToleranceSeconds));
            problems.AddRange(Listing.Compare(ours, Listing.ParseUpnpc(i.PeerL[0].StandardOutput), "upnpc -L", LeaseToleranceSeconds));
            return problems;
        }

        private static IReadOnlyList<string> VerdictsAgree(Iteration i, NatMode mode)
        {
            var lines = i.Ours[0].Lines;
            if (lines.Count != 1)
            {
                return new[] { "the driver's nat-type printed " + lines.Count + " lines, not 1: " + i.Ours[0].StandardOutput };
            }

            var ours = NatVerdict.FromDriver(lines[0]);
            var peer = NatVerdict.FromTurnutils(NatDiscoveryResult.Parse(i.Peer[0].StandardOutput));
            var expected = NatVerdict.Expected(mode);
            return Problems(
                Expect(ours.Equals(peer), "verdicts differ: the driver says " + ours + ", turnutils_natdiscovery says " + peer),
                Expect(ours.Equals(expected), "the driver says " + ours + ", but the lab's " + NatModes.ToLabName(mode) + " mode is built to show " + expected),
                Expect(peer.Equals(expected), "turnutils_natdiscovery says " + peer + ", but the lab's " + NatModes.ToLabName(mode) + " mode is built to show " + expected));
        }

        private static string? JsonString(string line, string property)
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }

        private static string? Expect(bool condition, string problem) => condition ? null : problem;

        private static IReadOnlyList<string> Problems(params string?[] problems) => problems.Where(p => p != null).Select(p => p!).ToList();
    }
}
