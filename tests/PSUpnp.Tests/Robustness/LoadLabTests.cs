using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Lab;
using PSUpnp.Tests.Lab;
using PSUpnp.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace PSUpnp.Tests.Reliability
{
    /// <summary>
    /// Eight threads share one IgdClient and add, renew and delete 500 mappings on the real miniupnpd at once. Afterwards
    /// the router's table, read three ways (IGD v2 listing, v1 iteration, its nftables rules), is exactly what the
    /// operations should have left: no duplicate, no lost deletion, and every exception reached the caller.
    /// </summary>
    [Collection(LabCollection.Name)]
    [Trait("Category", "Lab")]
    [Trait("Category", "Reliability")]
    public sealed class LoadLabTests
    {
        private const int Threads = 8;
        private const int Mappings = 500;
        private const int FirstPort = 20000;

        // Generous: under this load one single-threaded daemon serves eight clients; the bound only fails a hung call.
        private static readonly TimeSpan OperationBound = TimeSpan.FromSeconds(30);

        private readonly LabFixture _lab;
        private readonly ITestOutputHelper _output;

        public LoadLabTests(LabFixture lab, ITestOutputHelper output)
        {
            _lab = lab;
            _output = output;
        }

        private LabEnvironment Env => _lab.Environment;

        [Fact]
        public async Task EightThreadsAddingRenewingAndDeleting500MappingsLeaveExactlyTheExpectedTable()
        {
            var client = new IgdClient(LabGateway.Miniupnpd(Env));
            await ClearOursAsync(client);
            var table = await client.GetPortMappingsAsync(null, default);
            Assert.DoesNotContain(table, m => IsOurs(m.ExternalPort));
            var before = Keys(table);

            // Faults that earlier tests left unobserved surface now, before the count starts, not during it.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var unobserved = new ConcurrentQueue<Exception>();
            void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e) => unobserved.Enqueue(e.Exception);
            TaskScheduler.UnobservedTaskException += OnUnobserved;
            var log = new OperationLog();
            var expected = new ConcurrentDictionary<(PortMappingProtocol, int), bool>();
            var watch = Stopwatch.StartNew();
            try
            {
                await Task.WhenAll(Enumerable.Range(0, Threads).Select(worker => Task.Run(() => WorkAsync(worker, client, log, expected))));
            }
            finally
            {
                watch.Stop();

                // A task whose fault nobody observed shows up when it is collected.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                TaskScheduler.UnobservedTaskException -= OnUnobserved;
            }

            try
            {
                var listed = await client.GetPortMappingsAsync(null, default);
                var iterated = await new IgdClient(LabGateway.Miniupnpd(Env, 1)).GetPortMappingsAsync(null, default);
                var rules = DnatRules(await _lab.Controller.GetRouterRulesetAsync());
                var want = expected.Keys.Select(k => (k.Item1, k.Item2)).OrderBy(k => k).ToList();

                var adds = log.Attempted("add");
                var renewals = log.Attempted("renew");
                var deletes = log.Attempted("delete");
                Figures.Report(_output, "load", string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} threads, {1} mappings added ({2} renewals, {3} deletions) in {4} on one miniupnpd; afterwards {5} of ours in the table ({10}); {6} duplicates, {7} lost deletions, {8} failed operations, {9} unobserved task exceptions",
                    Threads,
                    adds,
                    renewals,
                    deletes,
                    Figures.Seconds(watch.Elapsed),
                    listed.Count(m => IsOurs(m.ExternalPort)),
                    Duplicates(listed),
                    listed.Count(m => IsOurs(m.ExternalPort) && !expected.ContainsKey((m.Protocol, m.ExternalPort))),
                    log.Failures.Count,
                    unobserved.Count,
                    Keys(listed).Where(k => !before.Contains(k)).OrderBy(k => k).SequenceEqual(expected.Keys.Select(k => Key(k.Item1, k.Item2)).OrderBy(k => k))
                        ? "exactly the expected set"
                        : "NOT the expected set"));
                Figures.Report(_output, "load per operation", "add " + log.Summary("add") + "; renew " + log.Summary("renew") + "; delete " + log.Summary("delete"));

                Assert.True(log.Failures.Count == 0, log.DescribeFailures());
                Assert.True(unobserved.IsEmpty, string.Join("\n", unobserved.Select(e => e.ToString())));
                Assert.Equal(Mappings, adds);
                Assert.True(deletes > 0 && renewals > 0, "the load must mix deletions and renewals into the adds");

                // The full table: what was there before plus exactly the expected set, each once.
                Assert.Equal(0, Duplicates(listed));
                Assert.Equal(before.Concat(expected.Keys.Select(k => Key(k.Item1, k.Item2))).OrderBy(k => k).ToList(), Keys(listed).OrderBy(k => k).ToList());
                Assert.Equal(Keys(listed).OrderBy(k => k).ToList(), Keys(iterated).OrderBy(k => k).ToList());
                Assert.Equal(want, rules.Where(r => IsOurs(r.Port)).OrderBy(r => r).ToList());
                Assert.All(listed.Where(m => IsOurs(m.ExternalPort)), m => Assert.Equal(Env.LanAddress, m.InternalClient));
            }
            finally
            {
                await ClearOursAsync(client);
            }
        }

        // Each worker owns every eighth port: it adds each, renews one in five, and deletes one in three a little later.
        private static async Task WorkAsync(int worker, IgdClient client, OperationLog log, ConcurrentDictionary<(PortMappingProtocol, int), bool> expected)
        {
            var mine = Enumerable.Range(FirstPort, Mappings).Where(p => (p - FirstPort) % Threads == worker).ToList();
            for (var i = 0; i < mine.Count; i++)
            {
                var port = mine[i];
                var protocol = Protocol(port);
                var added = await log.RunAsync("add", OperationBound, ct => client.AddPortMappingAsync(Request(port), ct));
                if (added != null)
                {
                    expected[(protocol, port)] = true;
                }

                if (i % 5 == 4 && expected.ContainsKey((Protocol(mine[i - 1]), mine[i - 1])))
                {
                    var renewed = await log.RunAsync("renew", OperationBound, ct => client.AddPortMappingAsync(Request(mine[i - 1]), ct));
                    Assert.True(renewed == null || renewed.Change == PortMappingChange.Renewed, "renewal of " + mine[i - 1] + " said " + renewed?.Change);
                }

                if (i % 3 == 2)
                {
                    var old = mine[i - 2];
                    await log.RunAsync("delete", OperationBound, ct => client.DeletePortMappingAsync(null, old, Protocol(old), ct));
                    expected.TryRemove((Protocol(old), old), out _);
                }
            }
        }

        private static async Task ClearOursAsync(IgdClient client)
        {
            foreach (var m in await client.GetPortMappingsAsync(null, default))
            {
                if (IsOurs(m.ExternalPort))
                {
                    await client.DeletePortMappingAsync(m.RemoteHost, m.ExternalPort, m.Protocol, default);
                }
            }
        }

        private static PortMappingProtocol Protocol(int port) => port % 2 == 0 ? PortMappingProtocol.TCP : PortMappingProtocol.UDP;

        private static bool IsOurs(int port) => port >= FirstPort && port < FirstPort + Mappings;

        private static PortMappingRequest Request(int port) => new PortMappingRequest
        {
            ExternalPort = port,
            Protocol = Protocol(port),
            Description = "load " + port.ToString(CultureInfo.InvariantCulture),
            LeaseDuration = TimeSpan.FromMinutes(10),
        };

        private static string Key(PortMappingProtocol protocol, int port) => protocol + " " + port.ToString(CultureInfo.InvariantCulture);

        private static List<string> Keys(IEnumerable<UpnpPortMapping> mappings) => mappings.Select(m => Key(m.Protocol, m.ExternalPort)).ToList();

        private static int Duplicates(IReadOnlyCollection<UpnpPortMapping> mappings) => mappings.Count - Keys(mappings).Distinct().Count();

        // miniupnpd's DNAT rules in the router, e.g. `iif "wan0" @nh,72,8 0x6 th dport 18500 dnat ip to 192.168.77.10:18500`.
        private static List<(PortMappingProtocol Protocol, int Port)> DnatRules(string ruleset) =>
            Regex.Matches(ruleset, @"@nh,72,8 0x(?<proto>[0-9a-f]+) th dport (?<port>\d+) dnat")
                .Select(m => (m.Groups["proto"].Value == "6" ? PortMappingProtocol.TCP : PortMappingProtocol.UDP, int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture)))
                .ToList();
    }
}
