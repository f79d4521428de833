using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>Adding and renewing a mapping (PortMappingAddition) against the fake IGD: what goes on the wire, the defaults, Created, Renewed and Replaced, and what is read back.</summary>
    public sealed class AddAndRenewTests : FakeIgdTests
    {
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
    }
}
