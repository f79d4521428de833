using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Lab;

namespace PSUpnp.Bench.Runner
{
    /// <summary>
    /// Issue 9, what a PowerShell user waits for: a renewal script started as cron starts it, beside upnpc -a and pwsh's
    /// own start-up; and each cmdlet in one warm pwsh session beside the driver's in-process time for the same work.
    /// Figures only: no target, nothing asserted about speed.
    /// </summary>
    internal sealed partial class Scenarios
    {
        public const string RenewScriptName = "renew-script";

        /// <summary>Selects the cmdlet-* rows, which one pwsh session measures together.</summary>
        public const string CmdletsName = "cmdlets";

        private const int RenewOursPort = 40110;
        private const int RenewPeerPort = 40111;
        private const int CmdletAddPort = 40112;
        private const int RenewLeaseSeconds = 3600;

        private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

        private Scenario RenewScript() => new Scenario(RenewScriptName, null, "none: issue 9 asks for the figure")
        {
            WholeProcess = true,
            OursIsDriver = false,
            Ours = new[] { RenewOurs() },
            Peer = new[] { RenewPeer() },
            Baseline = new[] { _pwsh.File("empty.ps1") },
            UdpRoundTrips = 1,
            HttpRoundTrips = 4,
            FixedWaitMs = Floors.SsdpAnswerDelayMs,
            FloorRule = "pwsh's own start-up (pwsh_start_ms: the same pwsh running an empty script, in the same iterations) + 1 UDP (M-SEARCH) + miniupnpd's fixed 50 ms + 4 HTTP (description, GetSpecificPortMappingEntry, AddPortMapping, GetSpecificPortMappingEntry)",
            Setup = async () =>
            {
                _pwsh.EnsureAvailable();

                // Untimed first runs create both mappings, so that every timed run is what cron repeats: a renewal.
                await TimedProcess.RunAsync(RenewOurs(), false).ConfigureAwait(false);
                await TimedProcess.RunAsync(RenewPeer(), false).ConfigureAwait(false);
            },
            Teardown = () => _lab.RestartMiniupnpdAsync(),
            Check = i => Problems(
                Expect(
                    i.Ours[0].StandardOutput.Contains(P(RenewOursPort), StringComparison.Ordinal),
                    "the renewal script did not print the mapping of port " + P(RenewOursPort) + ": " + i.Ours[0].StandardOutput),
                Expect(
                    (i.Ours[0].StandardOutput + i.Ours[0].StandardError).IndexOf("WARNING", StringComparison.OrdinalIgnoreCase) < 0,
                    "the renewal script warned (a renewal that re-created its mapping is not the steady state): " + i.Ours[0].StandardOutput + i.Ours[0].StandardError),
                Expect(
                    i.Peer[0].StandardOutput.Contains("is redirected to internal", StringComparison.Ordinal),
                    "upnpc -a did not confirm the mapping: " + i.Peer[0].StandardOutput)),
        };

        private Command RenewOurs() =>
            _pwsh.File("renew.ps1", "-Module", _pwsh.Module ?? string.Empty, "-ExternalPort", P(RenewOursPort), "-Description", BenchDescription);

        // As cron would start it: discovery (upnpc waits 2 s for answers), then the add, which renews an existing mapping.
        private Command RenewPeer() =>
            new Command("upnpc", "-e", BenchDescription, "-a", _env.LanAddress.ToString(), P(RenewPeerPort), P(RenewPeerPort), "TCP", P(RenewLeaseSeconds));

        /// <summary>The cmdlet-* rows: each is a cmdlet's pipeline, the driver's in-process bench of the same work, and its floor.</summary>
        private IReadOnlyList<CmdletRow> CmdletRows()
        {
            var url = _url;
            var server = _env.StunServer.ToString();
            var open = _env.LanOpenAddress.ToString();
            return new[]
            {
                new CmdletRow("discover", "Find-UpnpGateway", _driver.Run("bench", "discover", "--runs", _runs), 1, 1, Floors.SsdpAnswerDelayMs,
                    "1 UDP (M-SEARCH) + miniupnpd's fixed 50 ms + 1 HTTP (description)"),
                new CmdletRow("discover-location", "Find-UpnpGateway -Location URL", _driver.Run("bench", "discover-location", "--runs", _runs, "--location", url), 0, 1, 0,
                    "1 HTTP (description)"),
                new CmdletRow("external-address", "Find-UpnpGateway -Location URL | Get-UpnpExternalAddress", _driver.Run("bench", "external-address", "--runs", _runs, "--location", url), 0, 2, 0,
                    "2 HTTP (description; GetExternalIPAddress with GetStatusInfo beside it)"),
                new CmdletRow("add-delete", "Find-UpnpGateway -Location URL | Add-UpnpPortMapping ...; Find-UpnpGateway -Location URL | Remove-UpnpPortMapping ...",
                    _driver.Run("bench", "add-delete", "--runs", _runs, "--location", url, "--external-port", P(CmdletAddPort), "--internal-port", P(CmdletAddPort), "--protocol", "TCP", "--description", BenchDescription), 0, 3, 0,
                    "3 HTTP (description, AddPortMapping, DeletePortMapping)"),
                new CmdletRow("list-100", "Find-UpnpGateway -Location URL | Get-UpnpPortMapping", _driver.Run("bench", "list", "--runs", _runs, "--location", url), 0, 2, 0,
                    "2 HTTP (description; GetListOfPortMappings for TCP and UDP at once)"),
                new CmdletRow("nat-open", "Test-NatType -Server " + server + " -LocalAddress " + open + " -NoGateway", _driver.Run("bench", "nat-type", "--runs", _runs, "--server", server, "--local-address", open), 2, 0, 0,
                    "2 UDP (test I, then the other tests at once)"),
            };
        }

        /// <summary>
        /// One pwsh session times every cmdlet (with list-100's mappings on the router), then the driver's in-process
        /// bench times the same work; one result per cmdlet, the ratio being the PowerShell layer's cost.
        /// </summary>
        public async Task<IReadOnlyList<ScenarioResult>> CmdletLayerAsync(Floors floors, Action<string> log)
        {
            var rows = CmdletRows();
            var results = rows.Select(r => new ScenarioResult(r.Scenario) { FloorMs = floors.For(r.Udp, r.Http, r.FixedWaitMs) }).ToList();
            try
            {
                _pwsh.EnsureAvailable();
                await CreateMappingsAsync().ConfigureAwait(false);
                var session = _pwsh.File(
                    "cmdlet-session.ps1",
                    "-Module", _pwsh.Module!,
                    "-Location", _url,
                    "-ControlUrl", ControlUrl,
                    "-Runs", _runs,
                    "-AddPort", P(CmdletAddPort),
                    "-Description", BenchDescription,
                    "-StunServer", _env.StunServer.ToString(),
                    "-OpenAddress", _env.LanOpenAddress.ToString(),
                    "-Listed", ListedMappings.ToString(CultureInfo.InvariantCulture));
                log("cmdlets: one pwsh session, " + _runs + " warm calls of each cmdlet after a first one: " + session);
                var lines = (await TimedProcess.RunAsync(session, false).ConfigureAwait(false)).Lines;
                var cmdlets = lines.Take(lines.Count - 1).Select(Timing.Parse).ToDictionary(t => t.Scenario, StringComparer.Ordinal);
                var sessionRss = JsonDocument.Parse(lines.Last()).RootElement.GetProperty("peak_rss_mb").GetDouble();

                for (var i = 0; i < rows.Count; i++)
                {
                    log("cmdlets: " + rows[i].Scenario.PeerLabel);
                    var driver = Timing.Parse((await TimedProcess.RunAsync(rows[i].Driver, false).ConfigureAwait(false)).Lines.Last());
                    var cmdlet = cmdlets[rows[i].SessionOperation];
                    results[i].OursMs = cmdlet.MedianMs;
                    results[i].OursColdMs = cmdlet.ColdMs;
                    results[i].InProcessPeakRssMb = sessionRss;
                    results[i].PeerMs = driver.MedianMs;
                    results[i].Runs = int.Parse(_runs, CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is BenchFailure || e is LabCommandException || e is UpnpException || e is JsonException || e is FormatException
                || e is KeyNotFoundException || e is InvalidOperationException)
            {
                results.ForEach(r => r.Failures.Add(e.Message));
            }
            finally
            {
                try
                {
                    await _lab.RestartMiniupnpdAsync().ConfigureAwait(false);
                }
                catch (LabCommandException e)
                {
                    results.ForEach(r => r.Failures.Add("teardown: " + e.Message));
                }
            }

            return results;
        }

        /// <summary>One cmdlet-* row: the session's operation, the driver's bench command and the floor's round trips.</summary>
        private sealed class CmdletRow
        {
            public CmdletRow(string operation, string cmdlet, Command driver, int udp, int http, double fixedWaitMs, string floorRule)
            {
                // The session script names list-100's operation "list", as the driver's bench does.
                SessionOperation = operation == "list-100" ? "list" : operation == "nat-open" ? "nat-type" : operation;
                Driver = driver;
                Udp = udp;
                Http = http;
                FixedWaitMs = fixedWaitMs;
                Scenario = new Scenario("cmdlet-" + operation, null, "none: the PowerShell layer's cost, measured")
                {
                    OursLabel = cmdlet + " (one warm pwsh session, bench/scripts/cmdlet-session.ps1)",
                    PeerLabel = driver + " (in-process median)",
                    FloorRule = floorRule,
                };
            }

            public string SessionOperation { get; }

            public Command Driver { get; }

            public int Udp { get; }

            public int Http { get; }

            public double FixedWaitMs { get; }

            public Scenario Scenario { get; }
        }
    }
}
