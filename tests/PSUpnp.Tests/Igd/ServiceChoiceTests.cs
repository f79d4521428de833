using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using Xunit;

namespace PSUpnp.Tests.Discovery
{
    /// <summary>Which connection service of a device with several is used (miniupnpc's preference).</summary>
    public class ServiceChoiceTests
    {
        private const string Ip = "urn:schemas-upnp-org:service:WANIPConnection:1";
        private const string Ppp = "urn:schemas-upnp-org:service:WANPPPConnection:1";

        private readonly ConcurrentQueue<Uri> probed = new ConcurrentQueue<Uri>();

        private GatewayLocator Locator(Dictionary<string, (string Status, string? Address)?> answers)
        {
            var seams = new DiscoverySeams
            {
                Network = new FakeNetwork(),
                Cache = new GatewayCache(),
                Probe = (g, timeout, trace, ct) =>
                {
                    probed.Enqueue(g.ControlUrl!);
                    var a = answers[g.ControlUrl!.AbsolutePath];
                    if (a == null)
                    {
                        throw new UpnpTimeoutException("no answer", timeout, g.ControlUrl);
                    }

                    return Task.FromResult(new UpnpExternalAddress(g, a.Value.Address == null ? null : IPAddress.Parse(a.Value.Address), a.Value.Status, TimeSpan.Zero, string.Empty));
                },
            };
            return new GatewayLocator(null, null, seams);
        }

        private static UpnpGateway G(string path, string type) => GatewayCacheTests.Gateway("http://192.168.1.1:5000" + path, null, type);

        [Fact]
        public async Task ConnectedWithPublicAddressWinsOverConnectedPrivateAndDisconnected()
        {
            var locator = Locator(new Dictionary<string, (string, string?)?>
            {
                ["/ppp"] = ("Disconnected", null),
                ["/ip"] = ("Connected", "10.1.2.3"),
                ["/ip2"] = ("Connected", "198.51.99.7"),
            });

            var chosen = await locator.ChooseServiceAsync(new[] { G("/ppp", Ppp), G("/ip", Ip), G("/ip2", Ip) }, TimeSpan.FromSeconds(5), CancellationToken.None);

            Assert.Equal("/ip2", chosen.ControlUrl!.AbsolutePath);
            Assert.Equal(3, probed.Count);
        }

        [Fact]
        public async Task ConnectedWinsOverDisconnectedEvenWhenLater()
        {
            var locator = Locator(new Dictionary<string, (string, string?)?>
            {
                ["/ip"] = ("Disconnected", "0.0.0.0"),
                ["/ppp"] = ("Connected", "100.64.1.1"),
            });

            var chosen = await locator.ChooseServiceAsync(new[] { G("/ip", Ip), G("/ppp", Ppp) }, TimeSpan.FromSeconds(5), CancellationToken.None);

            Assert.Equal(Ppp, chosen.ServiceType);
        }

        [Fact]
        public async Task ServiceThatFailsItsProbeLosesToOneThatAnswers()
        {
            var locator = Locator(new Dictionary<string, (string, string?)?>
            {
                ["/ip"] = null,
                ["/ppp"] = ("Disconnected", null),
            });

            var chosen = await locator.ChooseServiceAsync(new[] { G("/ip", Ip), G("/ppp", Ppp) }, TimeSpan.FromSeconds(5), CancellationToken.None);

            Assert.Equal("/ppp", chosen.ControlUrl!.AbsolutePath);
        }

        [Fact]
        public async Task TieKeepsDocumentOrder()
        {
            var locator = Locator(new Dictionary<string, (string, string?)?>
            {
                ["/ip"] = ("Connected", "203.0.113.9"),
                ["/ppp"] = ("Connected", "203.0.113.9"),
            });

            var chosen = await locator.ChooseServiceAsync(new[] { G("/ip", Ip), G("/ppp", Ppp) }, TimeSpan.FromSeconds(5), CancellationToken.None);

            Assert.Equal("/ip", chosen.ControlUrl!.AbsolutePath);
        }

        [Fact]
        public async Task SingleServiceIsNotProbed()
        {
            var locator = Locator(new Dictionary<string, (string, string?)?>());

            var chosen = await locator.ChooseServiceAsync(new[] { G("/ip", Ip) }, TimeSpan.FromSeconds(5), CancellationToken.None);

            Assert.Equal("/ip", chosen.ControlUrl!.AbsolutePath);
            Assert.Empty(probed);
        }
    }
}
