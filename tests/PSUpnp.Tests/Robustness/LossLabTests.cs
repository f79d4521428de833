using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Lab;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Lab;
using PSUpnp.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace PSUpnp.Tests.Reliability
{
    /// <summary>
    /// The lab router drops 30% of its LAN-side packets in both directions (lab.sh loss 30): M-SEARCHes and their answers,
    /// SYNs, requests, answers. Every operation must still succeed within the bounds the cmdlets give it (the search, each exchange), through the
    /// engine's retries alone, and an add whose answer was lost must end as one mapping.
    /// </summary>
    [Collection(LabCollection.Name)]
    [Trait("Category", "Lab")]
    [Trait("Category", "Reliability")]
    public sealed class LossLabTests
    {
        private const int LossPercent = 30;
        private const int Rounds = 20;
        private const int Lanes = 4;
        private const int FirstPort = 18300;

        // The cmdlets' default -TimeoutSec: the search timeout they give discovery, and the bound of each exchange with
        // the router, which the IgdClient below applies itself (a cmdlet puts no bound on a whole call of several exchanges).
        private static readonly TimeSpan CmdletBound = TimeSpan.FromSeconds(5);

        // Only makes a hung call fail: the engine's own bound of each exchange is what is under test.
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

        private readonly LabFixture _lab;
        private readonly ITestOutputHelper _output;

        public LossLabTests(LabFixture lab, ITestOutputHelper output)
        {
            _lab = lab;
            _output = output;
        }

        private LabEnvironment Env => _lab.Environment;

        [Fact]
        public async Task UnderThirtyPercentLossDiscoveryAddressAddListAndDeleteAllSucceedWithinTheirBoundsAndEachAddIsOneMapping()
        {
            var trace = new ListTrace();
            var log = new OperationLog();
            var client = new IgdClient(LabGateway.Miniupnpd(Env), trace, null, CmdletBound);
            var ports = Enumerable.Range(FirstPort, Rounds).ToArray();
            var wrong = new ConcurrentQueue<string>();

            await _lab.Controller.SetPacketLossAsync(LossPercent);
            try
            {
                // Four lanes at once keep the run short; each round is still one operation after another.
                await Task.WhenAll(Enumerable.Range(0, Lanes).Select(lane => Task.Run(async () =>
                {
                    for (var port = FirstPort + lane; port < FirstPort + Rounds; port += Lanes)
                    {
                        await RoundAsync(port, client, log, trace, wrong);
                    }
                })));
            }
            finally
            {
                await _lab.Controller.SetPacketLossAsync(0);
            }

            // Without loss: nothing of ours is left, and nothing was ever held twice.
            var after = await new IgdClient(LabGateway.Miniupnpd(Env)).GetPortMappingsAsync(null, default);
            var left = after.Where(m => ports.Contains(m.ExternalPort)).ToList();
            foreach (var m in left)
            {
                await new IgdClient(LabGateway.Miniupnpd(Env)).DeletePortMappingAsync(null, m.ExternalPort, m.Protocol, default);
            }

            var resentAdds = trace.Lines.Count(l => l.StartsWith("SOAP AddPortMapping", StringComparison.Ordinal) && l.Contains(" sends ", StringComparison.Ordinal));
            var resends = trace.Lines.Count(l => l.Contains("sending the request again", StringComparison.Ordinal));
            var extraConnects = trace.Lines.Count(l => l.Contains("beside the others", StringComparison.Ordinal));
            var searchResends = trace.Lines.Count(l => l.Contains("sending the search again", StringComparison.Ordinal));
            foreach (var operation in new[] { "discovery", "external address", "add", "list", "delete" })
            {
                Figures.Report(_output, "loss " + LossPercent + "% " + operation, log.Summary(operation));
            }

            Figures.Report(_output, "loss " + LossPercent + "% retries", string.Format(
                CultureInfo.InvariantCulture,
                "{0} extra connection attempts, {1} requests sent again ({2} of them adds; every add ended as one mapping), {3} M-SEARCH rounds sent again",
                extraConnects,
                resends,
                resentAdds,
                searchResends));

            var exchanges = trace.Lines
                .Select(l => Regex.Match(l, @"^SOAP .* \((\d+) ms\)$"))
                .Where(m => m.Success)
                .Select(m => TimeSpan.FromMilliseconds(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)))
                .OrderBy(d => d)
                .ToList();
            Assert.NotEmpty(exchanges);
            Figures.Report(_output, "loss " + LossPercent + "% SOAP exchanges", string.Format(
                CultureInfo.InvariantCulture,
                "{0} exchanges: median {1}, 90th percentile {2}, 99th percentile {3}, slowest {4}",
                exchanges.Count,
                Figures.Milliseconds(exchanges[exchanges.Count / 2]),
                Figures.Milliseconds(exchanges[exchanges.Count * 9 / 10]),
                Figures.Milliseconds(exchanges[exchanges.Count * 99 / 100]),
                Figures.Milliseconds(exchanges[exchanges.Count - 1])));

            Assert.True(log.Failures.Count == 0, log.DescribeFailures());
            Assert.Equal(5 * Rounds, log.Outcomes.Count);
            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
            Assert.Empty(left);
        }

        [Fact]
        public async Task AnAddWhoseAnswersAreLostIsSentAgainAndEndsAsOneCreatedMapping()
        {
            const int port = 18330;
            var trace = new ListTrace();
            var client = new IgdClient(LabGateway.Miniupnpd(Env), trace);

            // The router's answers to AddPortMapping alone are dropped: its 426-byte answer (Fixtures/miniupnpd) travels
            // in one 478-byte packet, and no other answer of miniupnpd's has a length in this range.
            await NftAsync("add table inet reltest");
            await NftAsync("add chain inet reltest out { type filter hook output priority 0 ; }");
            await NftAsync("add rule inet reltest out tcp sport " + Env.MiniupnpdHttpPort.ToString(CultureInfo.InvariantCulture) + " ip length 460-500 counter drop");
            try
            {
                var add = client.AddPortMappingAsync(Request(port), new CancellationTokenSource(HangGuard).Token);

                // While the engine waits and sends again, the answers stay lost; then they get through again.
                await Task.Delay(TimeSpan.FromMilliseconds(1500));
                var dropped = await NftAsync("list table inet reltest");
                await NftAsync("delete table inet reltest");
                var result = await add;

                Assert.Matches(@"counter packets [1-9]", dropped);
                Assert.Equal(PortMappingChange.Created, result.Change);
                Assert.Contains(trace.Lines, l => l.StartsWith("SOAP AddPortMapping", StringComparison.Ordinal) && l.Contains(" sends ", StringComparison.Ordinal));
                var listed = await client.GetPortMappingsAsync(null, default);
                Assert.Single(listed, m => m.ExternalPort == port && m.Protocol == PortMappingProtocol.TCP);
            }
            finally
            {
                await _lab.Controller.RunInAsync(LabRole.Router, "nft", new[] { "delete", "table", "inet", "reltest" }, TimeSpan.FromSeconds(10));
                await client.DeletePortMappingAsync(null, port, PortMappingProtocol.TCP, default).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        private async Task<string> NftAsync(string command) =>
            (await _lab.Controller.RunCheckedAsync(LabRole.Router, "nft", command.Split(' '))).StandardOutput;

        private async Task RoundAsync(int port, IgdClient client, OperationLog log, ListTrace trace, ConcurrentQueue<string> wrong)
        {
            var found = await log.RunAsync("discovery", CmdletBound, ct => new GatewayLocator(trace).FindAsync(new GatewaySearch { Timeout = CmdletBound, BypassCache = true }, ct));
            if (found != null && found[0].ControlUrl != client.Gateway.ControlUrl)
            {
                wrong.Enqueue("discovery found " + found[0].ControlUrl);
            }

            var address = await log.RunAsync("external address", HangGuard, ct => client.GetExternalAddressAsync(ct));
            if (address != null && !Env.RouterWanAddress.Equals(address.ExternalAddress))
            {
                wrong.Enqueue("external address " + address.ExternalAddress);
            }

            var added = await log.RunAsync("add", HangGuard, ct => client.AddPortMappingAsync(Request(port), ct));
            if (added != null && added.Change != PortMappingChange.Created)
            {
                wrong.Enqueue("add " + port + " says " + added.Change);
            }

            var listed = await log.RunAsync("list", HangGuard, ct => client.GetPortMappingsAsync(null, ct));
            if (added != null && listed != null && listed.Count(m => m.ExternalPort == port && m.Protocol == PortMappingProtocol.TCP) != 1)
            {
                wrong.Enqueue("list shows port " + port + " " + listed.Count(m => m.ExternalPort == port) + " times");
            }

            await log.RunAsync("delete", HangGuard, ct => client.DeletePortMappingAsync(null, port, PortMappingProtocol.TCP, ct));
        }

        private static PortMappingRequest Request(int port) => new PortMappingRequest
        {
            ExternalPort = port,
            Description = "PSUpnp loss test",
            LeaseDuration = TimeSpan.FromMinutes(10),
        };
    }
}
