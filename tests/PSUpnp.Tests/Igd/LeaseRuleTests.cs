using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>The lease rules of IGD v1 and v2 as an add applies them against the fake IGD, and what the caller is told.</summary>
    public sealed class LeaseRuleTests : FakeIgdTests
    {
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
    }
}
