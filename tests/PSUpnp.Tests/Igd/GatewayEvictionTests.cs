using System;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Net;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>
    /// The judgement the engine façade (UpnpEngine) makes after a failed request: a gateway that is gone leaves the session
    /// cache, so the next call discovers again; a gateway that answered, even with a refusal, stays. The errors are the
    /// real ones IgdClient raises against the fake IGD.
    /// </summary>
    public sealed class GatewayEvictionTests : IDisposable
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        private readonly FakeIgdServer _server = new FakeIgdServer();
        private readonly GatewayCache _cache = new GatewayCache();

        public void Dispose() => _server.Dispose();

        private async Task<UpnpException> FailingCall(HttpLimits? limits = null)
        {
            var client = new IgdClient(_server.Gateway, NullTraceSink.Instance, null, limits ?? new HttpLimits(TimeSpan.FromSeconds(5), 64 * 1024));
            return await Assert.ThrowsAnyAsync<UpnpException>(() => client.GetExternalAddressAsync(CancellationToken.None));
        }

        private void Remember()
        {
            // What discovery stored: the same control URL, with the advertisement's expiry.
            var g = _server.Gateway;
            var discovered = new UpnpGateway(g.FriendlyName, g.Manufacturer, g.ModelName, g.Udn, g.IgdVersion, g.ServiceType, g.ControlUrl, g.DescriptionUrl, null, g.LocalAddress, null, Now.AddMinutes(30));
            Assert.True(_cache.Store("*", new[] { discovered }));
        }

        [Fact]
        public async Task AGatewayThatRefusesConnectionsIsForgotten()
        {
            Remember();
            _server.Dispose();
            var error = await FailingCall();

            Assert.Equal("UpnpConnectionRefused", error.ErrorId);
            Assert.True(_cache.ForgetIfGone(_server.Gateway, error));
            Assert.False(_cache.TryGet("*", Now, out _));
        }

        [Fact]
        public async Task AGatewayThatDoesNotAnswerInTimeIsForgotten()
        {
            Remember();
            _server.Script = _ => FakeReply.Slow(TimeSpan.FromSeconds(10));
            var error = await FailingCall(new HttpLimits(TimeSpan.FromMilliseconds(200), 64 * 1024));

            Assert.Equal("UpnpTimeout", error.ErrorId);
            Assert.True(_cache.ForgetIfGone(_server.Gateway, error));
            Assert.Equal(0, _cache.Count);
        }

        [Fact]
        public async Task AControlUrlThatNoLongerExistsIsForgotten()
        {
            Remember();
            _server.Script = _ => FakeReply.Raw(404, "Not Found", "<html/>");
            var error = await FailingCall();

            Assert.Equal("UpnpHttpError404", error.ErrorId);
            Assert.True(_cache.ForgetIfGone(_server.Gateway, error));
            Assert.Equal(0, _cache.Count);
        }

        [Theory]
        [InlineData(606)]
        [InlineData(501)]
        public async Task AGatewayThatAnswersWithAFaultIsKept(int code)
        {
            Remember();
            _server.Script = call => call.Action == "GetExternalIPAddress" ? FakeReply.Fault(code) : null;
            var error = await FailingCall();

            Assert.Equal("UpnpError" + code, error.ErrorId);
            Assert.False(_cache.ForgetIfGone(_server.Gateway, error));
            Assert.True(_cache.TryGet("*", Now, out var kept));
            Assert.Equal(_server.Gateway.ControlUrl, Assert.Single(kept).ControlUrl);
        }

        [Fact]
        public async Task AGatewayThatAnswersGarbageIsKept()
        {
            Remember();
            _server.Script = _ => FakeReply.Malformed();
            var error = await FailingCall();

            Assert.Equal("UpnpMalformedResponse", error.ErrorId);
            Assert.False(_cache.ForgetIfGone(_server.Gateway, error));
            Assert.Equal(1, _cache.Count);
        }
    }
}
