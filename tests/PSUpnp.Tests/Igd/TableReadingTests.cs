using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>Reading the whole mapping table (PortMappingTableReader) against the fake IGD: v2 listing, v1 iteration and the router workarounds between them.</summary>
    public sealed class TableReadingTests : FakeIgdTests
    {
        // ---- listing

        private static void Fill(FakeIgdServer server, int count)
        {
            for (var i = 0; i < count; i++)
            {
                server.Add(new FakeMapping(string.Empty, 20000 + i, i % 3 == 0 ? "UDP" : "TCP", 30000 + i, "192.168.1." + (20 + (i % 5)), true, "m" + i, i % 2 == 0 ? 0 : 3600));
            }
        }

        private static void AssertSameTable(FakeIgdServer server, IReadOnlyList<UpnpPortMapping> listed)
        {
            var expected = server.Table.Select(m => $"{m.Protocol} {m.ExternalPort} {m.InternalClient}:{m.InternalPort} {m.Description} {m.Lease}").OrderBy(x => x, StringComparer.Ordinal).ToList();
            var actual = listed.Select(m => $"{m.Protocol} {m.ExternalPort} {m.InternalClient}:{m.InternalPort} {m.Description} {(int)m.LeaseDuration.TotalSeconds}").OrderBy(x => x, StringComparer.Ordinal).ToList();
            Assert.Equal(expected.Count, actual.Count);
            Assert.Equal(expected, actual);
        }

        [Fact]
        public async Task IgdV2ListsWithGetListOfPortMappingsPagingPastTheDevicesCap()
        {
            var server = Server(2);
            server.ListCap = 10;
            Fill(server, 45);
            var listed = await Client(server).GetPortMappingsAsync(null, CancellationToken.None);

            AssertSameTable(server, listed);

            // One look at index 128 says the table is short enough to list (see IgdClient.ListSafeEntries).
            Assert.Equal("128", Assert.Single(server.Calls, c => c.Action == "GetGenericPortMappingEntry")["NewPortMappingIndex"]);
            Assert.True(server.CallCount("GetListOfPortMappings") >= 5, "45 entries at 10 per page need at least 5 pages");
        }

        [Fact]
        public async Task IgdV2ReadsATableOfMoreThan128EntriesOneByOneAndNeverListsIt()
        {
            var server = Server(2);
            Fill(server, 129);
            var listed = await Client(server).GetPortMappingsAsync(null, CancellationToken.None);

            AssertSameTable(server, listed);
            Assert.Equal(0, server.CallCount("GetListOfPortMappings"));
            Assert.Contains(Trace.Lines, l => l.Contains("more than 128 mappings", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(501)]
        [InlineData(401)]
        [InlineData(606)]
        public async Task IgdV2FallsBackToGenericIterationWhenGetListOfPortMappingsFails(int code)
        {
            var server = Server(2);
            Fill(server, 12);
            server.Script = call => call.Action == "GetListOfPortMappings" ? FakeReply.Fault(code) : null;
            var listed = await Client(server).GetPortMappingsAsync(null, CancellationToken.None);

            AssertSameTable(server, listed);

            // The look at index 128 that came before the listing, then indexes 0 to 12, the last past the end.
            Assert.Equal(1 + 13, server.CallCount("GetGenericPortMappingEntry"));
        }

        [Fact]
        public async Task IgdV2FallsBackWhenGetListOfPortMappingsAnswersGarbage()
        {
            var server = Server(2);
            Fill(server, 3);
            server.Script = call => call.Action == "GetListOfPortMappings" ? FakeReply.Malformed() : null;
            AssertSameTable(server, await Client(server).GetPortMappingsAsync(null, CancellationToken.None));
        }

        [Theory]
        [InlineData(713)]
        [InlineData(714)]
        [InlineData(402)]
        [InlineData(501)]
        [InlineData(601)]
        public async Task GenericIterationEndsWhereverTheDeviceSaysThePastTheEndIndexIs(int code)
        {
            var server = Server(1);
            server.EndOfTableCode = code;
            Fill(server, 7);
            var listed = await Client(server).GetPortMappingsAsync(null, CancellationToken.None);

            AssertSameTable(server, listed);

            // Indices, not calls: on a loaded machine a slow answer may bring an overlapping copy of the same query.
            var asked = server.Calls.Where(c => c.Action == "GetGenericPortMappingEntry").Select(c => int.Parse(c["NewPortMappingIndex"]!, CultureInfo.InvariantCulture)).Distinct().OrderBy(i => i);
            Assert.Equal(Enumerable.Range(0, 8), asked);
        }

        [Fact]
        public async Task AnotherFaultDuringIterationIsReported()
        {
            var server = Server(1);
            Fill(server, 5);
            server.Script = call => call.Action == "GetGenericPortMappingEntry" && call["NewPortMappingIndex"] == "2" ? FakeReply.Fault(606) : null;
            var ex = await Assert.ThrowsAsync<UpnpFaultException>(() => Client(server).GetPortMappingsAsync(null, CancellationToken.None));
            Assert.Equal(606, ex.ErrorCode);
        }

        [Fact]
        public async Task AnEmptyTableListsAsEmpty()
        {
            Assert.Empty(await Client(Server(1)).GetPortMappingsAsync(null, CancellationToken.None));
            Assert.Empty(await Client(Server(2)).GetPortMappingsAsync(null, CancellationToken.None));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public async Task ProgressReportsEntriesReadSoFar(int version)
        {
            var server = Server(version);
            server.ListCap = 4;
            Fill(server, 9);
            var reports = new ConcurrentQueue<int>();
            var listed = await Client(server).GetPortMappingsAsync(new SyncProgress(reports), CancellationToken.None);

            Assert.Equal(9, listed.Count);
            var seen = reports.ToArray();
            Assert.NotEmpty(seen);
            Assert.Equal(9, seen[^1]);
            Assert.Equal(seen.OrderBy(x => x).ToArray(), seen);
        }

        // Progress<T> posts to the thread pool; the test needs the reports in order.
        private sealed class SyncProgress : IProgress<int>
        {
            private readonly ConcurrentQueue<int> _reports;
            public SyncProgress(ConcurrentQueue<int> reports) => _reports = reports;
            public void Report(int value) => _reports.Enqueue(value);
        }
    }
}
