using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>IgdClient sending one action against the fake IGD: delete, look-up and external address, the transport and answer faults every action can meet, sharing one client between threads, one trace line per exchange.</summary>
    public sealed class SendOneActionTests : FakeIgdTests
    {
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

        // ---- get specific

        [Fact]
        public async Task GetSpecificReturnsNullWhenTheRouterHoldsNoSuchMapping()
        {
            var server = Server();
            Assert.Null(await Client(server).GetSpecificPortMappingAsync(null, 9999, PortMappingProtocol.UDP, CancellationToken.None));
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
            var client = new IgdClient(gateway, Trace, new FakeClock { UtcNow = Now }, TestLimits);
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
            var line = Assert.Single(Trace.Lines);
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
    }
}
