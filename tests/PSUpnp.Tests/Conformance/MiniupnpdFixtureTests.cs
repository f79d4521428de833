using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Description;
using PSUpnp.Igd;
using PSUpnp.Net;
using PSUpnp.Ssdp;
using PSUpnp.Tests.Fakes;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>
    /// Issue 2: "capture the lab's own miniupnpd answers as the project's fixtures". Each captured answer is replayed,
    /// byte for byte, to the engine (IgdClient over HTTP, the SSDP and description parsers), which must read from it the
    /// values the capture README says the router sent. A fixture that no test reads fails the last test.
    /// </summary>
    public sealed class MiniupnpdFixtureTests : IDisposable
    {
        private static readonly string Folder = RepoPaths.Combine("tests", "PSUpnp.Tests", "Fixtures", "miniupnpd");
        private static readonly IPAddress Lan = IPAddress.Parse("192.168.77.10");

        private readonly LoopbackHttpServer _router;
        private readonly ConcurrentQueue<FakeCall> _calls = new ConcurrentQueue<FakeCall>();
        private Func<FakeCall, string> _answer = call => throw new InvalidOperationException("no fixture for " + call.Action);

        public MiniupnpdFixtureTests()
        {
            _router = new LoopbackHttpServer(async (request, stream, ct) =>
            {
                var call = FakeCall.From(request);
                _calls.Enqueue(call);
                await stream.WriteAsync(Fixture(_answer(call)), ct);
            });
        }

        public void Dispose() => _router.Dispose();

        private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

        private IgdClient Client(int serviceVersion = 2) => new IgdClient(new UpnpGateway(
            "PSUpnp lab router", "Debian", "Debian router", "uuid:7c3c2a6e-2b5d-4d38-9f4e-5053557071a1", 2,
            "urn:schemas-upnp-org:service:WANIPConnection:" + serviceVersion, _router.Url("/ctl/IPConn"), _router.Url("/rootDesc.xml"), null, Lan));

        private static PortMappingRequest Request(int port) => new PortMappingRequest { ExternalPort = port, Description = "psupnp fixture", LeaseDuration = TimeSpan.FromHours(1) };

        [Fact]
        public async Task TheExternalAddressIsTheLabRoutersWanAddressAndConnected()
        {
            _answer = call => call.Action + ".http";

            var address = await Client().GetExternalAddressAsync(CancellationToken.None);

            Assert.Equal(IPAddress.Parse("11.11.0.1"), address.ExternalAddress);
            Assert.Equal("Connected", address.ConnectionStatus);
            Assert.Equal(TimeSpan.FromSeconds(1521), address.Uptime);
            Assert.Equal("ERROR_NONE", address.LastConnectionError);
            Assert.False(address.IsBehindAnotherNat);
        }

        [Fact]
        public async Task AnAddIsCheckedMadeAndReadBackAsTheRouterHoldsIt()
        {
            var looks = 0;
            _answer = call => call.Action switch
            {
                "GetSpecificPortMappingEntry" => Interlocked.Increment(ref looks) == 1 ? "fault-714-GetSpecificPortMappingEntry.http" : "GetSpecificPortMappingEntry.http",
                _ => call.Action + ".http",
            };

            var result = await Client().AddPortMappingAsync(Request(18001), CancellationToken.None);

            Assert.Equal(PortMappingChange.Created, result.Change);
            Assert.Equal(Lan, result.Mapping.InternalClient);
            Assert.Equal(18001, result.Mapping.InternalPort);
            Assert.Equal("psupnp fixture", result.Mapping.Description);
            Assert.Equal(TimeSpan.FromSeconds(3600), result.Mapping.LeaseDuration);
            Assert.Equal(new[] { "GetSpecificPortMappingEntry", "AddPortMapping", "GetSpecificPortMappingEntry" }, _calls.Select(c => c.Action));
        }

        [Fact]
        public async Task GetListOfPortMappingsGivesBothEntriesOfTheEscapedListing()
        {
            _answer = call => "GetListOfPortMappings.http";

            var table = await Client().GetPortMappingsAsync(null, CancellationToken.None);

            Assert.Equal(2, table.Count);
            Assert.Equal(new[] { "UDP 18002 -> 192.168.77.10:18002", "UDP 18100 -> 192.168.77.20:18100" }, table.Select(m => m.ToString()));
            Assert.Equal(new[] { "psupnp fixture udp", "held by lan2" }, table.Select(m => m.Description));
            Assert.Equal(new[] { 7200.0, 3600.0 }, table.Select(m => m.LeaseDuration.TotalSeconds));
            Assert.All(table, m => Assert.Null(m.RemoteHost));
        }

        [Fact]
        public async Task GenericIterationReadsTheNewestEntryAndStopsAt713()
        {
            _answer = call => call.Int("NewPortMappingIndex") == 0 ? "GetGenericPortMappingEntry.http" : "fault-713-GetGenericPortMappingEntry.http";

            var table = await Client(serviceVersion: 1).GetPortMappingsAsync(null, CancellationToken.None);

            var entry = Assert.Single(table);
            Assert.Equal("TCP 18003 -> 192.168.77.10:18003", entry.ToString());
            Assert.Equal("psupnp fixture any", entry.Description);

            // Indices, not calls: on a loaded machine a slow answer may bring a second copy of the same query.
            Assert.Equal(new[] { 0, 1 }, _calls.Select(c => c.Int("NewPortMappingIndex")).Distinct().OrderBy(i => i));
        }

        [Theory]
        [InlineData("fault-718-AddPortMapping.http", 718, UpnpErrorCategory.ResourceExists)]
        [InlineData("fault-606-AddPortMapping.http", 606, UpnpErrorCategory.PermissionDenied)]
        [InlineData("fault-402-AddPortMapping.http", 402, UpnpErrorCategory.InvalidArgument)]
        public async Task EachFaultTheRouterSentBecomesItsTypedError(string fixture, int code, UpnpErrorCategory category)
        {
            _answer = call => call.Action == "AddPortMapping" ? fixture : "fault-714-GetSpecificPortMappingEntry.http";

            var error = await Assert.ThrowsAsync<UpnpFaultException>(() => Client().AddPortMappingAsync(Request(18100), CancellationToken.None));

            Assert.Equal(code, error.ErrorCode);
            Assert.Equal("UpnpError" + code, error.ErrorId);
            Assert.Equal(category, error.Category);
            Assert.Equal("AddPortMapping", error.ActionName);
            Assert.Contains(UpnpFaultCodes.Explain(code), error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AnAbsentMappingReadsAsNullAndItsDeleteSucceedsAsMiniupnpdAnswers()
        {
            _answer = call => call.Action == "DeletePortMapping" ? "DeletePortMapping-absent.http" : "fault-714-GetSpecificPortMappingEntry.http";
            var client = Client();

            Assert.Null(await client.GetSpecificPortMappingAsync(null, 18999, PortMappingProtocol.TCP, CancellationToken.None));
            await client.DeletePortMappingAsync(null, 18999, PortMappingProtocol.TCP, CancellationToken.None);

            _answer = call => "DeletePortMapping.http";
            await client.DeletePortMappingAsync(null, 18001, PortMappingProtocol.TCP, CancellationToken.None);

            // Deletes, not calls: on a loaded machine a slow answer may bring a second copy of the query.
            Assert.Equal(2, _calls.Count(c => c.Action == "DeletePortMapping"));
        }

        [Theory]
        [InlineData("msearch-response-InternetGatewayDevice-1.bin", "urn:schemas-upnp-org:device:InternetGatewayDevice:1", "uuid:7c3c2a6e-2b5d-4d38-9f4e-5053557071a1")]
        [InlineData("msearch-response-InternetGatewayDevice-2.bin", "urn:schemas-upnp-org:device:InternetGatewayDevice:2", "uuid:7c3c2a6e-2b5d-4d38-9f4e-5053557071a1")]
        [InlineData("msearch-response-WANIPConnection-2.bin", "urn:schemas-upnp-org:service:WANIPConnection:2", "uuid:7c3c2a6e-2b5d-4d38-9f4e-5053557071a3")]
        public void EachSearchAnswerNamesItsTargetAndTheRootDescription(string fixture, string target, string udn)
        {
            var message = SsdpParser.Parse(Fixture(fixture));

            Assert.Equal(SsdpMessageKind.SearchResponse, message.Kind);
            Assert.Equal(target, message.Target);
            Assert.True(SearchTarget.IsGateway(message.Target));
            Assert.Equal(new Uri("http://192.168.77.1:5000/rootDesc.xml"), message.Location);
            Assert.Equal(TimeSpan.FromSeconds(120), message.MaxAge);
            // The service's answer carries the UDN of the WANConnectionDevice that holds it.
            Assert.Equal(udn, message.Udn);
            Assert.EndsWith("MiniUPnPd/2.3.1", message.Server, StringComparison.Ordinal);
        }

        [Fact]
        public void TheRootDescriptionGivesTheWanIpConnection2OfTheLabRouter()
        {
            var url = new Uri("http://192.168.77.1:5000/rootDesc.xml");
            var response = HttpResponseReader.Parse(Fixture("rootDesc.http"), url, HttpLimits.Description);
            Assert.Equal(200, response.StatusCode);
            Assert.Equal(Fixture("rootDesc.xml"), response.Body);

            var gateway = Assert.Single(GatewayBuilder.Build(DeviceDescriptionParser.Parse(response.Body), url, Lan));

            Assert.Equal("urn:schemas-upnp-org:service:WANIPConnection:2", gateway.ServiceType);
            Assert.Equal(new Uri("http://192.168.77.1:5000/ctl/IPConn"), gateway.ControlUrl);
            Assert.Equal(2, gateway.IgdVersion);
            Assert.Equal("PSUpnp lab router", gateway.FriendlyName);
            Assert.Equal("uuid:7c3c2a6e-2b5d-4d38-9f4e-5053557071a1", gateway.Udn);
            Assert.Equal(new Uri("http://192.168.77.1/"), gateway.PresentationUrl);
            Assert.Equal(new Uri("http://192.168.77.1:5000/ctl/IP6FCtl"), gateway.FirewallControlUrl);
        }

        [Fact]
        public void TheCaptureHoldsExactlyTheFixturesTheseTestsReplay()
        {
            // A new capture must come with the test that reads it; a removed one must take its test along.
            var captured = Directory.GetFiles(Folder).Select(f => Path.GetFileName(f)!).Where(f => !f.StartsWith(".", StringComparison.Ordinal) && f != "README.md");
            Assert.Equal(Replayed.OrderBy(f => f, StringComparer.Ordinal), captured.OrderBy(f => f, StringComparer.Ordinal));
        }

        // Every fixture, and the test above that replays it.
        private static readonly string[] Replayed =
        {
            "GetExternalIPAddress.http", "GetStatusInfo.http",                               // TheExternalAddressIs...
            "AddPortMapping.http", "GetSpecificPortMappingEntry.http",                      // AnAddIsChecked...
            "fault-714-GetSpecificPortMappingEntry.http",                                   // AnAddIsChecked..., AnAbsentMapping...
            "GetListOfPortMappings.http",                                                   // GetListOfPortMappings...
            "GetGenericPortMappingEntry.http", "fault-713-GetGenericPortMappingEntry.http", // GenericIteration...
            "fault-718-AddPortMapping.http", "fault-606-AddPortMapping.http", "fault-402-AddPortMapping.http",
            "DeletePortMapping.http", "DeletePortMapping-absent.http",                      // AnAbsentMapping...
            "msearch-response-InternetGatewayDevice-1.bin", "msearch-response-InternetGatewayDevice-2.bin",
            "msearch-response-WANIPConnection-2.bin",
            "rootDesc.http", "rootDesc.xml",                                                // TheRootDescription...
        };
    }
}
