using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Engine;
using PSUpnp.Igd;
using PSUpnp.Lab;
using PSUpnp.Tests.Lab;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>
    /// IPv6 pinholes through the engine's façade against the lab's miniupnpd (WANIPv6FirewallControl:1), from the lan
    /// namespace; whether a pinhole forwards is seen from the WAN host (a TCP probe over IPv6), and its lease as the
    /// router holds it in miniupnpd's lease_file6. Each test uses its own ports and removes what it made.
    /// </summary>
    [Trait("Category", "Lab")]
    [Collection(LabCollection.Name)]
    public sealed class PinholeLabTests : IDisposable
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
        private readonly LabFixture _lab;
        private readonly CancellationTokenSource _bound = new CancellationTokenSource(Bound);

        public PinholeLabTests(LabFixture lab)
        {
            _lab = lab;
        }

        private LabEnvironment Env => _lab.Environment;

        public void Dispose() => _bound.Dispose();

        private static UpnpEngine Engine() => new UpnpEngine(null, GatewaySearch.DefaultTimeout);

        private async Task<UpnpGateway> RouterAsync() => (await Engine().ResolveAsync(Env.RootDescriptionUrl, _bound.Token)).Value;

        private static PortMappingRequest Request(int port, TimeSpan lease, IPAddress? client = null) => new PortMappingRequest
        {
            ExternalPort = port,
            Protocol = PortMappingProtocol.TCP,
            InternalClient = client,
            LeaseDuration = lease,
        };

        [Fact]
        public async Task TheDescriptionGivesTheFirewallControlUrlBesideTheConnection()
        {
            var router = await RouterAsync();

            Assert.NotNull(router.FirewallControlUrl);
            Assert.Equal("/ctl/IP6FCtl", router.FirewallControlUrl!.AbsolutePath);
            Assert.Equal(router.ControlUrl!.Authority, router.FirewallControlUrl.Authority);
        }

        [Fact]
        public async Task AWanConnectionOverIPv6FailsBeforeThePinholeSucceedsWhileItExistsAndFailsAfterRemove()
        {
            const int port = 18601;
            var router = await RouterAsync();
            using var listener = new TcpListener(Env.LanAddress6, port);
            listener.Start();

            Assert.False(await WanReachesAsync(listener, port), "the router let unsolicited IPv6 in before any pinhole");

            var added = (await Engine().AddPinholeAsync(UpnpEngine.PreparePinhole(Request(port, TimeSpan.FromMinutes(5)), router), _bound.Token)).Value;
            var pinhole = added.Mapping;
            try
            {
                Assert.Equal(PortMappingChange.Created, added.Change);
                Assert.Equal(AddressFamily.InterNetworkV6, pinhole.AddressFamily);
                Assert.Equal(Env.LanAddress6, pinhole.InternalClient);
                Assert.Equal(port, pinhole.InternalPort);
                Assert.NotNull(pinhole.PinholeId);
                Assert.True(await WanReachesAsync(listener, port), "the WAN host could not connect through the pinhole");
            }
            finally
            {
                await Engine().RemovePinholeAsync(router, pinhole.PinholeId!.Value, _bound.Token);
            }

            Assert.False(await WanReachesAsync(listener, port), "the WAN host still connects after the pinhole was removed");
            Assert.DoesNotContain(await LeasesAsync(), l => l.Id == pinhole.PinholeId);
        }

        [Fact]
        public async Task RenewingExtendsTheLeaseTheRouterHoldsAndAPinholeGoneIsOpenedAgainWithAWarning()
        {
            const int port = 18602;
            var router = await RouterAsync();
            var first = (await Engine().AddPinholeAsync(UpnpEngine.PreparePinhole(Request(port, TimeSpan.FromMinutes(2)), router), _bound.Token)).Value.Mapping;
            var id = first.PinholeId!.Value;
            try
            {
                var before = Assert.Single(await LeasesAsync(), l => l.Id == id).Expiry;
                var renewal = Request(port, TimeSpan.FromMinutes(20));
                renewal.IsRenewal = true;
                renewal.PinholeId = id;
                var renewed = await Engine().AddPinholeAsync(UpnpEngine.PreparePinhole(renewal, router), _bound.Token);

                Assert.Equal(PortMappingChange.Renewed, renewed.Value.Change);
                Assert.Empty(renewed.Warnings);
                Assert.Equal(id, renewed.Value.Mapping.PinholeId);
                var after = Assert.Single(await LeasesAsync(), l => l.Id == id).Expiry;
                Assert.True(after - before >= 17 * 60, "the router's expiry moved from " + before + " to " + after + ", not by the 18 more minutes asked for");

                await Engine().RemovePinholeAsync(router, id, _bound.Token);
                var again = await Engine().AddPinholeAsync(UpnpEngine.PreparePinhole(renewal, router), _bound.Token);
                id = again.Value.Mapping.PinholeId!.Value;

                Assert.Equal(PortMappingChange.Created, again.Value.Change);
                Assert.Contains("no longer held IPv6 pinhole", Assert.Single(again.Warnings));
                Assert.Single(await LeasesAsync(), l => l.Id == id);
            }
            finally
            {
                await Engine().RemovePinholeAsync(router, id, _bound.Token);
            }
        }

        [Fact]
        public async Task APinholeForAnotherLanHostIsRefusedWith606AsMiniupnpdChecksTheSender()
        {
            var router = await RouterAsync();

            var error = await Assert.ThrowsAsync<UpnpFaultException>(() =>
                Engine().AddPinholeAsync(UpnpEngine.PreparePinhole(Request(18603, TimeSpan.FromMinutes(5), Env.Lan2Address6), router), _bound.Token));

            Assert.Equal("UpnpError606", error.ErrorId);
            Assert.Equal(UpnpErrorCategory.PermissionDenied, error.Category);
            Assert.Contains("own address", error.RecommendedAction);
            Assert.DoesNotContain(await LeasesAsync(), l => l.Client.Equals(Env.Lan2Address6));
        }

        [Fact]
        public async Task WithASecondAddressThatTheKernelPrefersAPinholeForTheFirstIsStillAskedFromTheFirst()
        {
            // Like a temporary privacy address: Linux makes the newest address the source toward the router (measured:
            // ip route get gives src LAN_IP6_SECOND), so only a request bound to the pinhole's client passes
            // miniupnpd's sender check; unbound, this pinhole for LAN_IP6 would get 606.
            var second = IPAddress.Parse(Env.Values["LAN_IP6_SECOND"]);
            var address = second + "/" + Env.Values["LAN6_SUBNET"].Split('/')[1];
            await _lab.Controller.RunCheckedAsync(LabRole.Lan, "ip", new[] { "addr", "add", address, "dev", Env.Values["CLIENT_IF"], "nodad" }, _bound.Token);
            try
            {
                var route = await _lab.Controller.RunCheckedAsync(LabRole.Lan, "ip", new[] { "-6", "route", "get", Env.RouterLanAddress6.ToString() }, _bound.Token);
                Assert.Contains("src " + second, route.StandardOutput);

                var router = await RouterAsync();
                var added = (await Engine().AddPinholeAsync(UpnpEngine.PreparePinhole(Request(18604, TimeSpan.FromMinutes(5), Env.LanAddress6), router), _bound.Token)).Value.Mapping;
                Assert.Equal(Env.LanAddress6, added.InternalClient);
                Assert.Single(await LeasesAsync(), l => l.Id == added.PinholeId && l.Client.Equals(Env.LanAddress6));
                await Engine().RemovePinholeAsync(router, added.PinholeId!.Value, _bound.Token);
            }
            finally
            {
                await _lab.Controller.RunCheckedAsync(LabRole.Lan, "ip", new[] { "addr", "del", address, "dev", Env.Values["CLIENT_IF"] }, _bound.Token);
            }
        }

        [Fact]
        public async Task RemovingAPinholeTheRouterDoesNotHoldIsMappingNotFound()
        {
            var router = await RouterAsync();

            var error = await Assert.ThrowsAsync<UpnpException>(() => Engine().RemovePinholeAsync(router, 65000, _bound.Token));

            Assert.Equal(UpnpErrors.MappingNotFound.Id, error.ErrorId);
            Assert.Contains("65000", error.Message);
        }

        /// <summary>A TCP connection from the WAN host over IPv6 to the lan client's listener, answered with a token.</summary>
        private async Task<bool> WanReachesAsync(TcpListener listener, int port)
        {
            var token = Guid.NewGuid().ToString("N");
            using var serving = CancellationTokenSource.CreateLinkedTokenSource(_bound.Token);
            var serve = TcpProbe.ServeTokenOnceAsync(listener, token, serving.Token);
            var probe = await _lab.Controller.RunProbeAsync(
                LabRole.Wan,
                new[] { "tcp-connect", Env.LanAddress6.ToString(), port.ToString(CultureInfo.InvariantCulture), "--expect-token", token, "--timeout", "3" },
                TimeSpan.FromSeconds(20),
                _bound.Token);
            serving.Cancel();
            try
            {
                await serve;
            }
            catch (OperationCanceledException)
            {
            }

            return probe.Succeeded;
        }

        /// <summary>
        /// miniupnpd's lease_file6: PROTO;client;port;remote;rport;UniqueID;expiry;description per pinhole. miniupnpd
        /// rewrites the whole file on each change, so a read may catch it half written: read until every line is whole.
        /// </summary>
        private async Task<(int Id, IPAddress Client, long Expiry)[]> LeasesAsync()
        {
            var path = Env.PinholeLeaseFile;
            while (true)
            {
                var text = File.Exists(path) ? await File.ReadAllTextAsync(path, _bound.Token) : string.Empty;
                var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(';')).ToArray();
                if ((text.Length == 0 || text.EndsWith('\n')) && lines.All(f => f.Length >= 8))
                {
                    return lines.Select(f => (int.Parse(f[5], CultureInfo.InvariantCulture), IPAddress.Parse(f[1]), long.Parse(f[6], CultureInfo.InvariantCulture))).ToArray();
                }

                await Task.Delay(50, _bound.Token);
            }
        }
    }
}
