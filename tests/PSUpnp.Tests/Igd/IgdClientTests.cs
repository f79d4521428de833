using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Net;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>IgdClient against the fault-injecting fake IGD: the rules of issue 2's Control section, one test each.</summary>
    public sealed class IgdClientTests : IDisposable
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        // Bounds that make a hung test fail; the fake answers in microseconds.
        private static readonly HttpLimits TestLimits = new HttpLimits(TimeSpan.FromSeconds(5), 64 * 1024);

        private readonly List<FakeIgdServer> _servers = new List<FakeIgdServer>();
        private readonly ListTrace _trace = new ListTrace();

        public void Dispose()
        {
            foreach (var s in _servers)
            {
                s.Dispose();
            }
        }

        private FakeIgdServer Server(int version = 1)
        {
            var s = new FakeIgdServer(version);
            _servers.Add(s);
            return s;
        }

        private IgdClient Client(FakeIgdServer server, HttpLimits? limits = null) =>
            new IgdClient(server.Gateway, _trace, new FixedClock(Now), limits ?? TestLimits);

        private static PortMappingRequest Request(int port = 8080, TimeSpan? lease = null) => new PortMappingRequest
        {
            ExternalPort = port,
            Description = "test",
            LeaseDuration = lease ?? TimeSpan.FromHours(1),
        };

        private static FakeMapping Other(int port = 8080) =>
            new FakeMapping(string.Empty, port, "TCP", 9000, "192.168.1.99", true, "someone else", 0);

        // ---- envelope on the wire

        [Fact]
        public async Task AddPortMappingSendsQuotedSoapActionUtf8ContentTypeAndEveryArgumentInOrder()
        {
            var server = Server();
            await Client(server).AddPortMappingAsync(Request(), CancellationToken.None);

            var add = Assert.Single(server.Calls, c => c.Action == "AddPortMapping");
            Assert.Equal("\"urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping\"", add.SoapAction);
            Assert.Equal("text/xml; charset=\"utf-8\"", add.Request.Header("Content-Type"));
            Assert.StartsWith("POST /ctl/IPConn HTTP/1.1", add.Request.RequestLine);
            Assert.Equal(
                new[] { "NewRemoteHost", "NewExternalPort", "NewProtocol", "NewInternalPort", "NewInternalClient", "NewEnabled", "NewPortMappingDescription", "NewLeaseDuration" },
                add.Arguments.Select(a => a.Key).ToArray());
            Assert.Equal("3600", add["NewLeaseDuration"]);
        }

        [Theory]
        [InlineData("<a>&\"'")]
        [InlineData("</NewPortMappingDescription><NewLeaseDuration>0</NewLeaseDuration>")]
        [InlineData("tab\there\r\nCRLF")]
        public async Task AnyDescriptionArrivesIntactAndTheRouterHoldsItByteExact(string description)
        {
            var server = Server();
            var request = Request();
            request.Description = description;
            var result = await Client(server).AddPortMappingAsync(request, CancellationToken.None);

            var add = Assert.Single(server.Calls, c => c.Action == "AddPortMapping");
            Assert.Equal(8, add.Arguments.Count);
            Assert.Equal(description, add["NewPortMappingDescription"]);
            Assert.Equal("3600", add["NewLeaseDuration"]);
            Assert.Equal(description, Assert.Single(server.Table).Description);
            Assert.Equal(description, result.Mapping.Description);
        }

        [Fact]
        public async Task AControlCharacterInTheDescriptionIsRefusedBeforeAnythingIsSent()
        {
            var server = Server();
            var request = Request();
            request.Description = "bell\u0007";
            var ex = await Assert.ThrowsAnyAsync<UpnpException>(() => Client(server).AddPortMappingAsync(request, CancellationToken.None));
            Assert.Equal("UpnpInvalidXmlCharacter", ex.ErrorId);
            Assert.Equal(UpnpErrorCategory.InvalidArgument, ex.Category);
            Assert.Equal(0, server.CallCount("AddPortMapping"));
            Assert.Empty(server.Table);
        }

        // ---- defaults

        [Fact]
        public async Task InternalClientDefaultsToTheGatewaysLocalAddressAndInternalPortToTheExternalPort()
        {
            var server = Server();
            var result = await Client(server).AddPortMappingAsync(Request(8080), CancellationToken.None);

            var add = Assert.Single(server.Calls, c => c.Action == "AddPortMapping");
            Assert.Equal(FakeIgdServer.LocalAddress.ToString(), add["NewInternalClient"]);
            Assert.Equal("8080", add["NewInternalPort"]);
            Assert.Equal(FakeIgdServer.LocalAddress, result.Mapping.InternalClient);
            Assert.Equal(8080, result.Mapping.InternalPort);
        }

        // ---- created, renewed, read back

        [Fact]
        public async Task AddReturnsTheMappingAsTheRouterHoldsItWithExpiryFromTheClock()
        {
            var server = Server();
            var result = await Client(server).AddPortMappingAsync(Request(8080, TimeSpan.FromMinutes(10)), CancellationToken.None);

            Assert.Equal(PortMappingChange.Created, result.Change);
            Assert.Empty(result.Warnings);
            Assert.Equal(TimeSpan.FromMinutes(10), result.Mapping.LeaseDuration);
            Assert.Equal(Now.AddMinutes(10), result.Mapping.ExpiresAt);
            Assert.Equal(server.Gateway, result.Mapping.Gateway);
            Assert.True(server.CallCount("GetSpecificPortMappingEntry") >= 1, "the mapping must be read back");
        }

        [Fact]
        public async Task ADescriptionTheRouterDoesNotKeepAsSentIsNamedInAWarning()
        {
            var server = Server();
            server.KeepDescription = d => d.Substring(0, Math.Min(d.Length, 10));
            var request = Request();
            request.Description = "a description longer than ten";
            var result = await Client(server).AddPortMappingAsync(request, CancellationToken.None);

            Assert.Equal("a descript", result.Mapping.Description);
            var warning = Assert.Single(result.Warnings);
            Assert.Contains("'a descript', not as sent ('a description longer than ten')", warning, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AnUnusableReadBackReportsTheMappingAsRequestedAndSaysSo()
        {
            var server = Server();
            var looks = 0;
            server.Script = call => call.Action == "GetSpecificPortMappingEntry" && Interlocked.Increment(ref looks) == 2 ? FakeReply.Malformed() : null;
            var result = await Client(server).AddPortMappingAsync(Request(), CancellationToken.None);

            Assert.Equal("test", result.Mapping.Description);
            Assert.Contains("reported as requested", Assert.Single(result.Warnings), StringComparison.Ordinal);
        }

        [Fact]
        public async Task AddingTheSameMappingAgainRenewsIt()
        {
            var server = Server();
            var client = Client(server);
            var first = await client.AddPortMappingAsync(Request(8080, TimeSpan.FromMinutes(10)), CancellationToken.None);
            var second = await client.AddPortMappingAsync(Request(8080, TimeSpan.FromMinutes(20)), CancellationToken.None);

            Assert.Equal(PortMappingChange.Created, first.Change);
            Assert.Equal(PortMappingChange.Renewed, second.Change);
            Assert.Equal(1200, Assert.Single(server.Table).Lease);
            Assert.Equal(TimeSpan.FromMinutes(20), second.Mapping.LeaseDuration);
        }

        [Fact]
        public async Task ARouterThatAnswers718ToARenewalIsRenewedByDeleteAndAdd()
        {
            var server = Server();
            server.RefuseRenewalWith718 = true;
            var client = Client(server);
            await client.AddPortMappingAsync(Request(8080, TimeSpan.FromMinutes(10)), CancellationToken.None);
            var renewed = await client.AddPortMappingAsync(Request(8080, TimeSpan.FromMinutes(20)), CancellationToken.None);

            Assert.Equal(PortMappingChange.Renewed, renewed.Change);
            Assert.Equal(1, server.CallCount("DeletePortMapping"));
            Assert.Equal(1200, Assert.Single(server.Table).Lease);
        }

        [Fact]
        public async Task AFailedRenewalNeverDeletesTheMappingItWasRenewing()
        {
            var server = Server();
            server.RefuseRenewalWith718 = true;
            var client = Client(server);
            await client.AddPortMappingAsync(Request(8080, TimeSpan.FromMinutes(10)), CancellationToken.None);

            // After the delete, the first re-add fails; the restore that follows must succeed.
            var deleted = 0;
            var failedOnce = 0;
            server.Script = call =>
            {
                if (call.Action == "DeletePortMapping")
                {
                    Interlocked.Exchange(ref deleted, 1);
                }
                else if (call.Action == "AddPortMapping" && Volatile.Read(ref deleted) == 1 && Interlocked.Exchange(ref failedOnce, 1) == 0)
                {
                    return FakeReply.Fault(501);
                }

                return null;
            };

            var ex = await Assert.ThrowsAnyAsync<UpnpException>(() => client.AddPortMappingAsync(Request(8080, TimeSpan.FromMinutes(20)), CancellationToken.None));
            Assert.Equal("UpnpRenewalFailed", ex.ErrorId);
            Assert.Contains("restored", ex.Message);
            var inner = Assert.IsType<UpnpFaultException>(ex.InnerException);
            Assert.Equal(501, inner.ErrorCode);
            var held = Assert.Single(server.Table);
            Assert.Equal(FakeIgdServer.LocalAddress.ToString(), held.InternalClient);
            Assert.Equal(8080, held.ExternalPort);
            Assert.Equal(600, held.Lease);
        }

        // ---- another client's mapping

        [Fact]
        public async Task AMappingHeldByAnotherClientIsNeverOverwrittenAndTheErrorNamesTheHolder()
        {
            var server = Server();
            server.Add(Other(8080));
            var ex = await Assert.ThrowsAsync<UpnpMappingConflictException>(() => Client(server).AddPortMappingAsync(Request(8080), CancellationToken.None));

            Assert.Equal("UpnpMappingConflict", ex.ErrorId);
            Assert.Equal(UpnpErrorCategory.ResourceExists, ex.Category);
            Assert.Contains("192.168.1.99", ex.Message);
            Assert.Equal(IPAddress.Parse("192.168.1.99"), ex.ExistingMapping.InternalClient);
            Assert.Equal(0, server.CallCount("AddPortMapping"));
            Assert.Equal(0, server.CallCount("DeletePortMapping"));
            Assert.Equal(Other(8080), Assert.Single(server.Table));
        }

        [Fact]
        public async Task AConflictFoundOnlyByThe718OfTheAddStillNamesTheHolder()
        {
            var server = Server();
            var looked = 0;
            server.Script = call =>
            {
                // The first look sees nothing (as if the other client added just after it); the add then meets 718.
                if (call.Action == "GetSpecificPortMappingEntry" && Interlocked.Exchange(ref looked, 1) == 0)
                {
                    server.Add(Other(8080));
                    return FakeReply.Fault(714);
                }

                return null;
            };

            var ex = await Assert.ThrowsAsync<UpnpMappingConflictException>(() => Client(server).AddPortMappingAsync(Request(8080), CancellationToken.None));
            Assert.Contains("192.168.1.99", ex.Message);
            Assert.Equal(Other(8080), Assert.Single(server.Table));
        }

        [Fact]
        public async Task ForceTakesOverAnotherClientsMapping()
        {
            var server = Server();
            server.Add(Other(8080));
            var request = Request(8080);
            request.Force = true;
            var result = await Client(server).AddPortMappingAsync(request, CancellationToken.None);

            Assert.Equal(PortMappingChange.Replaced, result.Change);
            var held = Assert.Single(server.Table);
            Assert.Equal(FakeIgdServer.LocalAddress.ToString(), held.InternalClient);
            Assert.Equal(FakeIgdServer.LocalAddress, result.Mapping.InternalClient);
        }

        [Fact]
        public async Task AFailedTakeoverRestoresTheOtherClientsMapping()
        {
            var server = Server();
            server.Add(Other(8080));
            server.Script = call => call.Action == "AddPortMapping" && call["NewInternalClient"] == FakeIgdServer.LocalAddress.ToString() ? FakeReply.Fault(728) : null;
            var request = Request(8080);
            request.Force = true;

            var ex = await Assert.ThrowsAnyAsync<UpnpException>(() => Client(server).AddPortMappingAsync(request, CancellationToken.None));
            Assert.Equal("UpnpReplaceFailed", ex.ErrorId);
            Assert.Contains("restored", ex.Message);
            Assert.Equal(Other(8080), Assert.Single(server.Table));
        }

        // ---- lease rules

        [Fact]
        public async Task IgdV1TakesZeroAsPermanentWithoutWarning()
        {
            var server = Server(1);
            var result = await Client(server).AddPortMappingAsync(Request(8080, TimeSpan.Zero), CancellationToken.None);

            Assert.Equal("0", Assert.Single(server.Calls, c => c.Action == "AddPortMapping")["NewLeaseDuration"]);
            Assert.True(result.Mapping.IsPermanent);
            Assert.Null(result.Mapping.ExpiresAt);
            Assert.Empty(result.Warnings);
        }

        [Fact]
        public async Task On725TheAddIsRetriedOnceAsPermanentAndTheCallerIsTold()
        {
            var server = Server(1);
            server.OnlyPermanentLeases = true;
            var result = await Client(server).AddPortMappingAsync(Request(8080, TimeSpan.FromHours(1)), CancellationToken.None);

            var adds = server.Calls.Where(c => c.Action == "AddPortMapping").ToList();
            Assert.Equal(2, adds.Count);
            Assert.Equal("3600", adds[0]["NewLeaseDuration"]);
            Assert.Equal("0", adds[1]["NewLeaseDuration"]);
            Assert.True(result.Mapping.IsPermanent);
            Assert.Contains(result.Warnings, w => w.Contains("permanent", StringComparison.Ordinal) && w.Contains("725", StringComparison.Ordinal));
        }

        [Fact]
        public async Task IgdV2TurnsAPermanentRequestIntoTheLongestLeaseAndSaysSo()
        {
            var server = Server(2);
            var result = await Client(server).AddPortMappingAsync(Request(8080, TimeSpan.Zero), CancellationToken.None);

            Assert.Equal("604800", Assert.Single(server.Calls, c => c.Action == "AddPortMapping")["NewLeaseDuration"]);
            Assert.Equal(TimeSpan.FromSeconds(604800), result.Mapping.LeaseDuration);
            Assert.Equal(Now.AddSeconds(604800), result.Mapping.ExpiresAt);
            Assert.Contains(result.Warnings, w => w.Contains("604800", StringComparison.Ordinal) && w.Contains("permanent", StringComparison.Ordinal));
        }

        [Fact]
        public async Task IgdV2CapsALeaseAboveAWeekAndSaysSo()
        {
            var server = Server(2);
            var result = await Client(server).AddPortMappingAsync(Request(8080, TimeSpan.FromDays(30)), CancellationToken.None);

            Assert.Equal("604800", Assert.Single(server.Calls, c => c.Action == "AddPortMapping")["NewLeaseDuration"]);
            Assert.Equal(TimeSpan.FromSeconds(604800), result.Mapping.LeaseDuration);
            Assert.Contains(result.Warnings, w => w.Contains("capped", StringComparison.Ordinal) && w.Contains("2592000", StringComparison.Ordinal));
        }

        [Fact]
        public async Task IgdV1PassesALongLeaseUntouched()
        {
            var server = Server(1);
            var result = await Client(server).AddPortMappingAsync(Request(8080, TimeSpan.FromDays(30)), CancellationToken.None);
            Assert.Equal("2592000", Assert.Single(server.Calls, c => c.Action == "AddPortMapping")["NewLeaseDuration"]);
            Assert.Empty(result.Warnings);
        }

        [Fact]
        public async Task Error726IsAnErrorAndTheRestrictionIsNeverWidened()
        {
            var server = Server(2);
            server.RemoteHostWildcardOnly = true;
            var request = Request(8080);
            request.RemoteHost = IPAddress.Parse("198.51.100.20");

            var ex = await Assert.ThrowsAsync<UpnpFaultException>(() => Client(server).AddPortMappingAsync(request, CancellationToken.None));
            Assert.Equal(726, ex.ErrorCode);
            Assert.Equal("UpnpError726", ex.ErrorId);
            Assert.Contains("every remote host", ex.Message);
            var add = Assert.Single(server.Calls, c => c.Action == "AddPortMapping");
            Assert.Equal("198.51.100.20", add["NewRemoteHost"]);
            Assert.Empty(server.Table);
        }

        // ---- AddAnyPortMapping

        [Fact]
        public async Task AddAnyPortMappingReturnsThePortTheRouterReserved()
        {
            var server = Server(2);
            server.Add(Other(8080));
            var result = await Client(server).AddAnyPortMappingAsync(Request(8080), CancellationToken.None);

            Assert.Equal(8081, result.Mapping.ExternalPort);
            Assert.Equal(8080, result.Mapping.InternalPort);
            Assert.Equal(PortMappingChange.Created, result.Change);
            Assert.Equal(2, server.Table.Count);
        }

        [Fact]
        public async Task AddAnyPortMappingOnIgdV1MapsTheRequestedPortAndSaysSo()
        {
            var server = Server(1);
            var result = await Client(server).AddAnyPortMappingAsync(Request(8080), CancellationToken.None);

            Assert.Equal(8080, result.Mapping.ExternalPort);
            Assert.Equal(0, server.CallCount("AddAnyPortMapping"));
            Assert.Contains(result.Warnings, w => w.Contains("AddAnyPortMapping", StringComparison.Ordinal));
        }

        // ---- delete

        [Fact]
        public async Task DeleteRemovesTheMappingAndAMissingOneIs714()
        {
            var server = Server();
            var client = Client(server);
            await client.AddPortMappingAsync(Request(8080), CancellationToken.None);
            await client.DeletePortMappingAsync(null, 8080, PortMappingProtocol.TCP, CancellationToken.None);
            Assert.Empty(server.Table);

            var ex = await Assert.ThrowsAsync<UpnpFaultException>(() => client.DeletePortMappingAsync(null, 8080, PortMappingProtocol.TCP, CancellationToken.None));
            Assert.Equal(714, ex.ErrorCode);
            Assert.Equal(UpnpErrorCategory.ObjectNotFound, ex.Category);
        }

        [Theory]
        [InlineData(2)]
        [InlineData(1)]
        public async Task DeletePortMappingRangeRemovesOnlyThatRangeAndProtocol(int version)
        {
            var server = Server(version);
            for (var p = 100; p < 110; p++)
            {
                server.Add(new FakeMapping(string.Empty, p, "TCP", p, FakeIgdServer.LocalAddress.ToString(), true, "x", 0));
            }

            server.Add(new FakeMapping(string.Empty, 105, "UDP", 105, FakeIgdServer.LocalAddress.ToString(), true, "x", 0));
            await Client(server).DeletePortMappingRangeAsync(103, 106, PortMappingProtocol.TCP, true, CancellationToken.None);

            Assert.Equal(new[] { "TCP100", "TCP101", "TCP102", "TCP107", "TCP108", "TCP109", "UDP105" }, server.Table.Select(m => m.Protocol + m.ExternalPort).OrderBy(x => x, StringComparer.Ordinal).ToArray());
            // Never the v2 action, which kills miniupnpd 2.3.1 (see IgdClient.DeletePortMappingRangeAsync and IgdLabTests).
            Assert.Equal(0, server.CallCount("DeletePortMappingRange"));
        }

        // ---- get specific

        [Fact]
        public async Task GetSpecificReturnsNullWhenTheRouterHoldsNoSuchMapping()
        {
            var server = Server();
            Assert.Null(await Client(server).GetSpecificPortMappingAsync(null, 9999, PortMappingProtocol.UDP, CancellationToken.None));
        }

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
            Assert.Contains(_trace.Lines, l => l.Contains("more than 128 mappings", StringComparison.Ordinal));
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

        // ---- external address

        [Fact]
        public async Task ExternalAddressComesWithStatusAndUptime()
        {
            var server = Server();
            var address = await Client(server).GetExternalAddressAsync(CancellationToken.None);

            Assert.Equal(IPAddress.Parse("203.0.113.7"), address.ExternalAddress);
            Assert.Equal("Connected", address.ConnectionStatus);
            Assert.Equal(TimeSpan.FromSeconds(4242), address.Uptime);
            Assert.Equal("ERROR_NONE", address.LastConnectionError);
            Assert.Equal(server.Gateway, address.Gateway);
        }

        [Theory]
        [InlineData("")]
        [InlineData("not-an-address")]
        [InlineData("0.0.0.0")]
        public async Task AnEmptyOrUnusableExternalAddressIsNullNotACrash(string value)
        {
            var server = Server();
            server.ExternalAddress = value;
            server.ConnectionStatus = "Disconnected";
            var address = await Client(server).GetExternalAddressAsync(CancellationToken.None);
            Assert.Null(address.ExternalAddress);
            Assert.Equal("Disconnected", address.ConnectionStatus);
            Assert.False(address.IsBehindAnotherNat);
        }

        [Fact]
        public async Task ARouterWithoutGetStatusInfoStillGivesItsAddress()
        {
            var server = Server();
            server.Script = call => call.Action == "GetStatusInfo" ? FakeReply.Fault(401) : null;
            var address = await Client(server).GetExternalAddressAsync(CancellationToken.None);
            Assert.Equal(IPAddress.Parse("203.0.113.7"), address.ExternalAddress);
            Assert.Equal(string.Empty, address.ConnectionStatus);
        }

        // ---- transport and answer faults

        [Fact]
        public async Task ASlowAnswerIsATimeout()
        {
            var server = Server();
            server.Script = _ => FakeReply.Slow(TimeSpan.FromSeconds(10));
            var ex = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                Client(server, TestLimits.WithTimeout(TimeSpan.FromMilliseconds(300))).DeletePortMappingAsync(null, 1, PortMappingProtocol.TCP, CancellationToken.None));
            Assert.Equal("UpnpTimeout", ex.ErrorId);
        }

        [Fact]
        public async Task AConnectionClosedMidAnswerIsAnIncompleteResponse()
        {
            var server = Server();
            server.Script = _ => FakeReply.CutAfter(60);
            var ex = await Assert.ThrowsAnyAsync<UpnpException>(() => Client(server).GetExternalAddressAsync(CancellationToken.None));
            Assert.Equal("UpnpIncompleteResponse", ex.ErrorId);
        }

        [Fact]
        public async Task AnOversizedAnswerIsRefused()
        {
            var server = Server();
            server.Script = _ => FakeReply.Oversized(200 * 1024);
            var ex = await Assert.ThrowsAnyAsync<UpnpException>(() => Client(server).GetExternalAddressAsync(CancellationToken.None));
            Assert.Equal("UpnpResponseTooLarge", ex.ErrorId);
        }

        [Fact]
        public async Task MalformedXmlIsUpnpMalformedResponse()
        {
            var server = Server();
            server.Script = _ => FakeReply.Malformed();
            var ex = await Assert.ThrowsAnyAsync<UpnpException>(() => Client(server).DeletePortMappingAsync(null, 1, PortMappingProtocol.TCP, CancellationToken.None));
            Assert.Equal("UpnpMalformedResponse", ex.ErrorId);
        }

        [Fact]
        public async Task AnHttpErrorWithoutAFaultIsItsOwnError()
        {
            var server = Server();
            server.Script = _ => FakeReply.Raw(404, "Not Found", "<html/>");
            var ex = await Assert.ThrowsAnyAsync<UpnpException>(() => Client(server).DeletePortMappingAsync(null, 1, PortMappingProtocol.TCP, CancellationToken.None));
            Assert.Equal("UpnpHttpError404", ex.ErrorId);
        }

        [Fact]
        public async Task ARefusedConnectionComesFromHttpExchange()
        {
            var server = Server();
            var gateway = server.Gateway;
            server.Dispose();
            var client = new IgdClient(gateway, _trace, new FixedClock(Now), TestLimits);
            var ex = await Assert.ThrowsAnyAsync<UpnpException>(() => client.GetExternalAddressAsync(CancellationToken.None));
            Assert.Equal("UpnpConnectionRefused", ex.ErrorId);
        }

        [Theory]
        [InlineData(402)]
        [InlineData(501)]
        [InlineData(601)]
        [InlineData(606)]
        [InlineData(715)]
        [InlineData(716)]
        [InlineData(724)]
        [InlineData(727)]
        [InlineData(728)]
        [InlineData(729)]
        public async Task EachFaultCodeReachesTheCallerWithItsExplanation(int code)
        {
            var server = Server();
            server.Script = call => call.Action == "AddPortMapping" ? FakeReply.Fault(code) : null;
            var ex = await Assert.ThrowsAsync<UpnpFaultException>(() => Client(server).AddPortMappingAsync(Request(8080), CancellationToken.None));

            Assert.Equal(code, ex.ErrorCode);
            Assert.Equal("AddPortMapping", ex.ActionName);
            Assert.Equal(server.Gateway.ControlUrl, ex.ControlUrl);
            Assert.Equal("Scripted", ex.ErrorDescription);
            Assert.Contains(UpnpFaultCodes.Explain(code), ex.Message);
            Assert.NotEqual(UpnpFaultCodes.Explain(99999), ex.Explanation);
            Assert.Empty(server.Table);
        }

        // ---- threads and tracing

        [Fact]
        public async Task ManyThreadsCanShareOneClient()
        {
            var server = Server(2);
            var client = Client(server);
            var ports = Enumerable.Range(40000, 32).ToArray();
            var results = await Task.WhenAll(ports.Select(p => Task.Run(() => client.AddPortMappingAsync(Request(p), CancellationToken.None))));

            Assert.Equal(ports.Length, results.Length);
            Assert.All(results, r => Assert.Equal(PortMappingChange.Created, r.Change));
            Assert.Equal(ports, results.Select(r => r.Mapping.ExternalPort).ToArray());
            Assert.Equal(ports.Length, server.Table.Count);

            var listed = await client.GetPortMappingsAsync(null, CancellationToken.None);
            Assert.Equal(ports.Length, listed.Count);
            await Task.WhenAll(ports.Select(p => Task.Run(() => client.DeletePortMappingAsync(null, p, PortMappingProtocol.TCP, CancellationToken.None))));
            Assert.Empty(server.Table);
        }

        [Fact]
        public async Task EachSoapExchangeIsTracedOnOneLine()
        {
            var server = Server();
            await Client(server).DeletePortMappingAsync(null, 8080, PortMappingProtocol.TCP, CancellationToken.None).ContinueWith(_ => { });
            var line = Assert.Single(_trace.Lines);
            Assert.Matches(@"^SOAP DeletePortMapping http://127\.0\.0\.1:\d+/ctl/IPConn -> HTTP 500 UPnPError 714 \(\d+ ms\)$", line);
        }

        [Fact]
        public async Task CancellationStopsTheCallAtOnce()
        {
            var server = Server();
            server.Script = _ => FakeReply.Slow(TimeSpan.FromSeconds(30));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(server).GetExternalAddressAsync(cts.Token));
        }

        private sealed class FixedClock : ISystemClock
        {
            public FixedClock(DateTimeOffset now) => UtcNow = now;
            public DateTimeOffset UtcNow { get; }
        }

        private sealed class ListTrace : ITraceSink
        {
            private readonly ConcurrentQueue<string> _lines = new ConcurrentQueue<string>();
            public IReadOnlyList<string> Lines => _lines.ToArray();
            public void Trace(string message) => _lines.Enqueue(message);
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
