using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Net;
using PSUpnp.Ssdp;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Reliability
{
    /// <summary>
    /// Devices that attack the control point, end to end through the real HttpExchange and parsers: a description read by
    /// GatewayLocator from a Location, SOAP answers read by IgdClient from the fault server. Each attack is refused with
    /// the engine's own error within its bound and size cap, and nothing outside the device is ever read: the external
    /// entities point at canaries (an HTTP server and a named pipe) that would notice.
    /// </summary>
    [Trait("Category", "Reliability")]
    public sealed class HostileDeviceTests : IDisposable
    {
        private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(30);

        private readonly Canary _canary = new Canary();
        private readonly List<IDisposable> _owned = new List<IDisposable>();
        private readonly ListTrace _trace = new ListTrace();

        public void Dispose()
        {
            foreach (var d in _owned)
            {
                d.Dispose();
            }

            _canary.Dispose();
        }

        /// <summary>Documents that try to make the parser fetch or expand something: {0} is the canary's URL, {1} its file URL.</summary>
        public static IEnumerable<object[]> DtdAttacks()
        {
            yield return new object[] { "external entity over HTTP", "<!DOCTYPE root [<!ENTITY x SYSTEM \"{0}\">]>", "&x;" };
            yield return new object[] { "external entity from a file", "<!DOCTYPE root [<!ENTITY x SYSTEM \"{1}\">]>", "&x;" };
            yield return new object[] { "external DTD", "<!DOCTYPE root SYSTEM \"{0}\">", "x" };
            yield return new object[] { "external parameter entity", "<!DOCTYPE root [<!ENTITY % p SYSTEM \"{1}\"> %p;]>", "x" };
            yield return new object[] { "entity bomb", "<!DOCTYPE root [" + Bomb() + "]>", "&l9;" };
            yield return new object[] { "quadratic blowup", "<!DOCTYPE root [<!ENTITY a \"" + new string('a', 50_000) + "\">]>", string.Concat(Enumerable.Repeat("&a;", 10_000)) };
        }

        // ---- description, read from a Location through GatewayLocator

        [Theory]
        [MemberData(nameof(DtdAttacks))]
        public async Task ADescriptionWithADtdIsRefusedAndNothingOutsideTheDeviceIsRead(string attack, string doctype, string text)
        {
            var xml = "<?xml version=\"1.0\"?>" + Fill(doctype) + WithoutDeclaration(GatewayLocatorTests.Description(friendlyName: text));
            var device = Serve(LoopbackHttpServer.Response(200, "OK", "text/xml", Encoding.UTF8.GetBytes(xml)));

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => FromLocation(device.Url("/rootDesc.xml"), TimeSpan.FromSeconds(5)));

            Assert.True("UpnpDescriptionDtdProhibited" == e.ErrorId, attack + ": " + e.ErrorId + " " + e.Message);
            Assert.Contains("DTD", e.Message, StringComparison.Ordinal);
            await _canary.AssertUntouched();
        }

        [Fact]
        public async Task StylesheetsSchemaLocationsAndXIncludesInAValidDescriptionFetchNothing()
        {
            var xml = "<?xml version=\"1.0\"?><?xml-stylesheet type=\"text/xsl\" href=\"" + _canary.Url + "\"?>"
                + WithoutDeclaration(GatewayLocatorTests.Description())
                    .Replace("<root xmlns=\"urn:schemas-upnp-org:device-1-0\">", "<root xmlns=\"urn:schemas-upnp-org:device-1-0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:schemas-upnp-org:device-1-0 " + _canary.Url + "\">", StringComparison.Ordinal)
                    .Replace("<presentationURL>", "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"" + _canary.FileUrl + "\"/><presentationURL>", StringComparison.Ordinal);
            var device = Serve(LoopbackHttpServer.Response(200, "OK", "text/xml", Encoding.UTF8.GetBytes(xml)));

            var gateway = await FromLocation(device.Url("/rootDesc.xml"), TimeSpan.FromSeconds(5));

            Assert.Equal(device.Url("/ctl/IPConn"), gateway.ControlUrl);
            await _canary.AssertUntouched();
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task AHundredMegabyteDescriptionIsCutOffAtTheCapWithoutReadingIt(bool chunked)
        {
            var device = Serve(new HundredMegabytes(chunked));

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => FromLocation(device.Url("/rootDesc.xml"), TimeSpan.FromSeconds(20)));

            Assert.Equal("UpnpResponseTooLarge", e.ErrorId);
            Assert.Contains(HttpLimits.Description.MaxBodyBytes.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
            device.AssertMostlyUnsent();
        }

        [Fact]
        public async Task ADeclaredHundredMegabyteDescriptionIsRefusedBeforeItsBody()
        {
            var device = Serve(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 104857600\r\n\r\n<"));

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => FromLocation(device.Url("/rootDesc.xml"), TimeSpan.FromSeconds(5)));

            Assert.Equal("UpnpResponseTooLarge", e.ErrorId);
        }

        [Fact]
        public async Task ADescriptionThatTricklesOneByteASecondEndsAtTheTimeout()
        {
            var device = Serve(Trickle());

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => FromLocation(device.Url("/rootDesc.xml"), TimeSpan.FromSeconds(2)));

            Assert.Equal("UpnpTimeout", e.ErrorId);
            Assert.Equal(UpnpErrorCategory.OperationTimeout, e.Category);
        }

        [Fact]
        public async Task ARedirectToAnotherHostIsAnErrorAndThatHostIsNeverContacted()
        {
            var device = Serve(Encoding.ASCII.GetBytes("HTTP/1.1 302 Found\r\nLocation: " + _canary.Url + "\r\nContent-Length: 0\r\n\r\n"));

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => FromLocation(device.Url("/rootDesc.xml"), TimeSpan.FromSeconds(5)));

            Assert.Equal(302, Assert.IsType<UpnpHttpStatusException>(e).StatusCode);
            Assert.Equal("UpnpHttpError302", e.ErrorId);
            Assert.Contains("302", e.Message, StringComparison.Ordinal);
            await _canary.AssertUntouched();
        }

        [Fact]
        public async Task ALocationOutsideTheLocalNetworksIsNeverFollowed()
        {
            // The host searches from 127.0.0.1/32, so 127.0.0.2 is neither the device that answered nor on its network.
            using var offLink = new Canary(IPAddress.Parse("127.0.0.2"));
            var location = offLink.Url.ToString();
            using var ssdp = new SsdpResponder("127.0.0.1", request => new[] { SsdpResponder.Response(SsdpResponder.StOf(request), location) });
            var network = new FakeNetwork();
            network.Interfaces.Add(new LocalInterface("lo", IPAddress.Loopback, IPAddress.Broadcast, true));
            var locator = new GatewayLocator(_trace, new FakeClock(), new DiscoverySeams { Network = network, Cache = new GatewayCache(), MulticastEndPoint = ssdp.EndPoint, UnicastPort = 9 });

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => locator.FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(1) }, CancellationToken.None).WaitAsync(HangBound));

            Assert.Equal("UpnpGatewayNotFound", e.ErrorId);
            Assert.Equal("UpnpLocationNotFollowed", Assert.IsType<UpnpException>(e.InnerException).ErrorId);
            Assert.Contains(_trace.Lines, l => l.Contains("was not followed", StringComparison.Ordinal));
            await offLink.AssertUntouched();
        }

        // ---- SOAP answers, read by IgdClient from the fault server

        [Theory]
        [MemberData(nameof(DtdAttacks))]
        public async Task ASoapAnswerWithADtdIsRefusedAndNothingOutsideTheDeviceIsRead(string attack, string doctype, string text)
        {
            var server = Fake();
            var envelope = "<?xml version=\"1.0\"?>" + Fill(doctype)
                + "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:GetExternalIPAddressResponse xmlns:u=\"" + server.Gateway.ServiceType + "\">"
                + "<NewExternalIPAddress>" + text + "</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>";
            server.Script = call => call.Action == "GetExternalIPAddress" ? FakeReply.Raw(200, "OK", envelope) : null;

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => Client(server).GetExternalAddressAsync(CancellationToken.None).WaitAsync(HangBound));

            Assert.True("UpnpMalformedResponse" == e.ErrorId, attack + ": " + e.ErrorId + " " + e.Message);
            Assert.Contains("DTD", e.Message, StringComparison.Ordinal);
            await _canary.AssertUntouched();
        }

        [Fact]
        public async Task APortMappingListWithAnExternalEntityIsRefusedAndTheTableIsReadEntryByEntryInstead()
        {
            var server = Fake(2);
            server.Add(new FakeMapping(string.Empty, 8080, "TCP", 8080, FakeIgdServer.LocalAddress.ToString(), true, "mine", 3600));
            var listing = "<?xml version=\"1.0\"?><!DOCTYPE p:PortMappingList [<!ENTITY x SYSTEM \"" + _canary.FileUrl + "\">]>"
                + "<p:PortMappingList xmlns:p=\"urn:schemas-upnp-org:gw:WANIPConnection\"><p:PortMappingEntry><p:NewDescription>&x;</p:NewDescription></p:PortMappingEntry></p:PortMappingList>";
            var envelope = "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:GetListOfPortMappingsResponse xmlns:u=\"" + server.Gateway.ServiceType + "\">"
                + "<NewPortListing>" + System.Security.SecurityElement.Escape(listing) + "</NewPortListing></u:GetListOfPortMappingsResponse></s:Body></s:Envelope>";
            server.Script = call => call.Action == "GetListOfPortMappings" ? FakeReply.Raw(200, "OK", envelope) : null;

            var listed = await Client(server).GetPortMappingsAsync(null, CancellationToken.None).WaitAsync(HangBound);

            Assert.Equal("mine", Assert.Single(listed).Description);
            Assert.Contains(_trace.Lines, l => l.Contains("GetListOfPortMappings failed (UpnpMalformedResponse)", StringComparison.Ordinal));
            await _canary.AssertUntouched();
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task AHundredMegabyteSoapAnswerIsCutOffAtTheCap(bool chunked)
        {
            var device = Serve(new HundredMegabytes(chunked));

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => Client(device.Url("/ctl"), HttpLimits.Control).DeletePortMappingAsync(null, 8080, PortMappingProtocol.TCP, CancellationToken.None).WaitAsync(HangBound));

            Assert.Equal("UpnpResponseTooLarge", e.ErrorId);
            Assert.Contains(HttpLimits.Control.MaxBodyBytes.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
            device.AssertMostlyUnsent();
        }

        [Fact]
        public async Task ASoapAnswerThatTricklesOneByteASecondEndsAtTheTimeout()
        {
            var device = Serve(Trickle());
            var client = Client(device.Url("/ctl"), HttpLimits.Control.WithTimeout(TimeSpan.FromSeconds(2)));

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => client.DeletePortMappingAsync(null, 8080, PortMappingProtocol.TCP, CancellationToken.None).WaitAsync(HangBound));

            Assert.Equal("UpnpTimeout", e.ErrorId);
        }

        [Fact]
        public async Task ASoapRedirectToAnotherHostIsAnHttpErrorAndThatHostIsNeverContacted()
        {
            var server = Fake();
            server.Script = call => FakeReply.Raw(Encoding.ASCII.GetBytes("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + _canary.Url + "\r\nContent-Length: 0\r\n\r\n"));

            var e = await Assert.ThrowsAnyAsync<UpnpException>(() => Client(server).GetExternalAddressAsync(CancellationToken.None).WaitAsync(HangBound));

            Assert.Equal("UpnpHttpError307", e.ErrorId);
            await _canary.AssertUntouched();
        }

        private static string Bomb()
        {
            var sb = new StringBuilder("<!ENTITY l0 \"lol\">");
            for (var i = 1; i <= 9; i++)
            {
                sb.Append("<!ENTITY l").Append(i).Append(" \"").Append(string.Concat(Enumerable.Repeat("&l" + (i - 1) + ";", 10))).Append("\">");
            }

            return sb.ToString();
        }

        private static string WithoutDeclaration(string xml) => xml.Substring(xml.IndexOf("?>", StringComparison.Ordinal) + 2);

        private string Fill(string doctype) => doctype.Replace("{0}", _canary.Url.ToString(), StringComparison.Ordinal).Replace("{1}", _canary.FileUrl.ToString(), StringComparison.Ordinal);

        // One byte a second of a body that claims a thousand.
        private static LoopbackHttpServer Trickle() => new LoopbackHttpServer(async (_, stream, ct) =>
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<"u8.ToArray(), ct);
            for (var i = 0; i < 1000; i++)
            {
                await Task.Delay(1000, ct);
                await stream.WriteAsync("a"u8.ToArray(), ct);
            }
        });

        private LoopbackHttpServer Serve(byte[] response) => Serve(LoopbackHttpServer.Answering(response));

        private T Serve<T>(T server)
            where T : IDisposable
        {
            _owned.Add(server);
            return server;
        }

        // A control endpoint of any behaviour, spoken to with the given limits.
        private IgdClient Client(Uri controlUrl, HttpLimits limits) => new IgdClient(
            new UpnpGateway("Hostile", "x", "x", "uuid:hostile", 1, "urn:schemas-upnp-org:service:WANIPConnection:1", controlUrl, controlUrl, null, IPAddress.Loopback),
            _trace,
            new FakeClock(),
            limits);

        private FakeIgdServer Fake(int version = 1)
        {
            var server = new FakeIgdServer(version);
            _owned.Add(server);
            return server;
        }

        // The engine's own limits (HttpLimits.Control, with its retries): what a cmdlet gets.
        private IgdClient Client(FakeIgdServer server) => new IgdClient(server.Gateway, _trace, new FakeClock(), HttpLimits.Control);

        private async Task<UpnpGateway> FromLocation(Uri location, TimeSpan timeout)
        {
            var locator = new GatewayLocator(_trace, new FakeClock(), new DiscoverySeams { Network = FakeNetwork.Loopback("127.0.0.1"), Cache = new GatewayCache() });
            var found = await locator.FindAsync(new GatewaySearch { Location = location, Timeout = timeout }, CancellationToken.None).WaitAsync(HangBound);
            return Assert.Single(found);
        }

        /// <summary>A device that answers with a 100 MB body (raw or chunked) and counts what it managed to send.</summary>
        private sealed class HundredMegabytes : IDisposable
        {
            private const long Size = 100L * 1024 * 1024;
            private readonly LoopbackHttpServer _server;
            private long _written;

            public HundredMegabytes(bool chunked)
            {
                _server = new LoopbackHttpServer(async (_, stream, ct) =>
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n" + (chunked ? "Transfer-Encoding: chunked\r\n" : string.Empty) + "\r\n"), ct);
                    var block = Encoding.ASCII.GetBytes(chunked ? "10000\r\n" + new string(' ', 0x10000) + "\r\n" : new string(' ', 0x10000));
                    while (Interlocked.Read(ref _written) < Size)
                    {
                        await stream.WriteAsync(block, ct);
                        Interlocked.Add(ref _written, 0x10000);
                    }
                });
            }

            public Uri Url(string path) => _server.Url(path);

            /// <summary>The client closed long before the end: what got out is the cap plus what socket buffers hold.</summary>
            public void AssertMostlyUnsent() =>
                Assert.True(Interlocked.Read(ref _written) < Size / 4, Interlocked.Read(ref _written) + " bytes of 100 MB were accepted");

            public void Dispose() => _server.Dispose();
        }
    }
}
