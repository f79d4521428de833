using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Lab;
using PSUpnp.Stun;
using Xunit;

namespace PSUpnp.Tests.Lab
{
    /// <summary>
    /// The lab's field modes (lab.sh field MODE) are the situations they claim to be, seen from outside the engine:
    /// upnpc, natpmpc, a raw STUN binding, nftables-free TCP probes from the WAN host, ip in the namespaces.
    /// </summary>
    [Collection(LabCollection.Name)]
    [Trait("Category", "Lab")]
    public sealed class FieldModeLabTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

        private readonly LabEnvironment env;
        private readonly LabController lab;

        public FieldModeLabTests(LabFixture fixture)
        {
            env = fixture.Environment;
            lab = fixture.Controller;
        }

        public static IEnumerable<object[]> AllFieldModes() =>
            Enum.GetValues(typeof(FieldMode)).Cast<FieldMode>().Select(mode => new object[] { mode });

        [Fact]
        public async Task CgnatPutsTheRouterOn10064AndItsMappingsEndAtTheCarrier()
        {
            var port = RandomPort(20000);
            await lab.SetFieldModeAsync(FieldMode.Cgnat);
            try
            {
                Assert.Equal(FieldMode.Cgnat, lab.GetFieldMode());
                var wan = await RouterWanAddressesAsync();
                Assert.Equal(new[] { env.CgnatRouterAddress }, wan);
                Assert.True(IsSharedAddressSpace(wan[0]), wan[0] + " is not in 100.64.0.0/10");

                // miniupnpd names the address its STUN query learnt: the carrier's, which is also what STUN shows the LAN.
                Assert.Equal(env.EdgeWanAddress, await IgdExternalAddressAsync(LabRole.Lan, env.RootDescriptionUrl));
                Assert.Equal(env.EdgeWanAddress, await StunReflexiveAddressAsync());

                var probe = await MapAndConnectFromWanAsync(port, env.EdgeWanAddress);
                Assert.True(probe.ExitCode == 1, "the WAN host reached a mapped port through the carrier NAT: " + probe.StandardError + probe.StandardOutput);
            }
            finally
            {
                await lab.SetFieldModeAsync(FieldMode.Normal);
            }

            // The same mapping, made the same way, forwards once the router is on the internet itself.
            var normal = await MapAndConnectFromWanAsync(port, env.RouterWanAddress);
            Assert.True(normal.Succeeded, "in normal mode the mapping did not forward: " + normal.StandardError + normal.StandardOutput);
        }

        [Fact]
        public async Task CgnatWithoutStunLeavesTheIgdWithoutAnAddressAndRefusesEveryAddWith501()
        {
            var port = RandomPort(25000).ToString(CultureInfo.InvariantCulture);
            await lab.SetFieldModeAsync(FieldMode.CgnatNoStun);
            try
            {
                Assert.Equal(new[] { env.CgnatRouterAddress }, await RouterWanAddressesAsync());
                var status = await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-s" });
                Assert.Contains("GetExternalIPAddress failed. (empty string)", status);
                Assert.Equal(env.EdgeWanAddress, await StunReflexiveAddressAsync());

                var refused = await lab.TryRunUpnpcDirectAsync(LabRole.Lan, new[] { "-a", env.LanAddress.ToString(), port, port, "TCP" });
                Assert.NotEqual(0, refused.ExitCode);
                Assert.Contains("failed with code 501", refused.StandardOutput);
            }
            finally
            {
                await lab.SetFieldModeAsync(FieldMode.Normal);
            }
        }

        [Fact]
        public async Task DoubleRouterHasBothMiniupnpdsAnsweringAndOnlyAMappingOnBothForwards()
        {
            var port = RandomPort(30000);
            var portText = port.ToString(CultureInfo.InvariantCulture);
            await lab.SetFieldModeAsync(FieldMode.DoubleRouter);
            try
            {
                Assert.Equal(new[] { env.BoxRouterAddress }, await RouterWanAddressesAsync());

                // Ours on the LAN, the box's on our router's WAN side; both name the box's public address.
                Assert.Equal(env.EdgeWanAddress, await IgdExternalAddressAsync(LabRole.Lan, env.RootDescriptionUrl));
                var box = await lab.RunCheckedAsync(LabRole.Router, "upnpc", new[] { "-u", env.BoxRootDescriptionUrl.ToString(), "-s" });
                Assert.Contains("Local LAN ip address : " + env.BoxRouterAddress, box.StandardOutput);
                Assert.Contains("ExternalIPAddress = " + env.EdgeWanAddress, box.StandardOutput);
                Assert.Equal(env.EdgeWanAddress, await StunReflexiveAddressAsync());

                var ours = await MapAndConnectFromWanAsync(port, env.EdgeWanAddress);
                Assert.True(ours.ExitCode == 1, "a mapping on our router alone was reachable through the box: " + ours.StandardError);

                // The remedy the help gives: a mapping on the provider's box too, to our router's WAN address.
                await lab.RunCheckedAsync(LabRole.Router, "upnpc", new[] { "-u", env.BoxRootDescriptionUrl.ToString(), "-a", env.BoxRouterAddress.ToString(), portText, portText, "TCP" });
                var both = await MapAndConnectFromWanAsync(port, env.EdgeWanAddress);
                Assert.True(both.Succeeded, "a mapping on both routers did not forward: " + both.StandardError + both.StandardOutput);
            }
            finally
            {
                await lab.SetFieldModeAsync(FieldMode.Normal);
            }
        }

        [Fact]
        public async Task WanChangeReplacesTheAddressWhileTheRouterKeepsItsMappings()
        {
            var port = RandomPort(40000);
            var portText = port.ToString(CultureInfo.InvariantCulture);
            var listed = new Regex(@"TCP\s+" + port + "->" + Regex.Escape(env.LanAddress.ToString()));
            await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-a", env.LanAddress.ToString(), portText, portText, "TCP" });
            try
            {
                await lab.SetFieldModeAsync(FieldMode.WanChange);

                Assert.Equal(new[] { env.RouterWanAddressChanged }, await RouterWanAddressesAsync());
                Assert.Equal(env.RouterWanAddressChanged, await IgdExternalAddressAsync(LabRole.Lan, env.RootDescriptionUrl));
                var natpmp = await lab.RunCheckedAsync(LabRole.Lan, "natpmpc", new[] { "-g", env.RouterLanAddress.ToString() });
                Assert.Contains("Public IP address : " + env.RouterWanAddressChanged, natpmp.StandardOutput);
                Assert.Matches(listed, await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-l" }));

                // miniupnpd's DNAT matches the WAN interface, not the address: the old mapping forwards at the new address.
                var probe = await ConnectFromWanAsync(port, env.RouterWanAddressChanged);
                Assert.True(probe.Succeeded, "the mapping made before the change did not forward at the new address: " + probe.StandardError);
            }
            finally
            {
                await lab.SetFieldModeAsync(FieldMode.Normal);
                await lab.TryRunUpnpcDirectAsync(LabRole.Lan, new[] { "-d", portText, "TCP" });
            }

            Assert.Equal(env.RouterWanAddress, await IgdExternalAddressAsync(LabRole.Lan, env.RootDescriptionUrl));
        }

        [Fact]
        public async Task UpnpOffSilencesUpnpWhileNatPmpStillAnswers()
        {
            await lab.SetFieldModeAsync(FieldMode.UpnpOff);
            try
            {
                var discovery = await lab.RunInAsync(LabRole.Lan, "upnpc", new[] { "-s" }, Bound);
                Assert.NotEqual(0, discovery.ExitCode);
                Assert.Contains("No IGD UPnP Device found on the network", discovery.StandardOutput + discovery.StandardError);
                var http = new IPEndPoint(env.RouterLanAddress, env.MiniupnpdHttpPort);
                Assert.False(await TcpProbe.ConnectsAsync(http, TimeSpan.FromSeconds(3)), "miniupnpd still serves HTTP with UPnP off");

                var natpmp = await lab.RunCheckedAsync(LabRole.Lan, "natpmpc", new[] { "-g", env.RouterLanAddress.ToString() });
                Assert.Contains("Public IP address : " + env.RouterWanAddress, natpmp.StandardOutput);
            }
            finally
            {
                await lab.SetFieldModeAsync(FieldMode.Normal);
            }

            Assert.Equal(env.RouterWanAddress, await IgdExternalAddressAsync(LabRole.Lan, env.RootDescriptionUrl));
        }

        [Fact]
        public async Task DenyAllRefusesEveryAddWith606AndNormalGrantsTheSameAdd()
        {
            var port = RandomPort(50000).ToString(CultureInfo.InvariantCulture);
            var add = new[] { "-a", env.LanAddress.ToString(), port, port, "TCP" };
            await lab.SetFieldModeAsync(FieldMode.DenyAll);
            try
            {
                var refused = await lab.TryRunUpnpcDirectAsync(LabRole.Lan, add);
                Assert.NotEqual(0, refused.ExitCode);
                Assert.Contains("failed with code 606", refused.StandardOutput);
            }
            finally
            {
                await lab.SetFieldModeAsync(FieldMode.Normal);
            }

            await lab.RunUpnpcDirectAsync(LabRole.Lan, add);
            await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-d", port, "TCP" });
        }

        [Fact]
        public async Task SecureModeRefusesAMappingForAnotherClientWith718AndInsecureGrantsIt()
        {
            var port = RandomPort(55000).ToString(CultureInfo.InvariantCulture);
            var forLan2 = new[] { "-a", env.Lan2Address.ToString(), port, port, "TCP" };
            var refused = await lab.TryRunUpnpcDirectAsync(LabRole.Lan, forLan2);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("failed with code 718", refused.StandardOutput);

            await lab.SetFieldModeAsync(FieldMode.Insecure);
            try
            {
                await lab.RunUpnpcDirectAsync(LabRole.Lan, forLan2);
                Assert.Matches(new Regex(@"TCP\s+" + port + "->" + Regex.Escape(env.Lan2Address.ToString())), await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-l" }));
            }
            finally
            {
                await lab.SetFieldModeAsync(FieldMode.Normal);
            }
        }

        [Theory]
        [MemberData(nameof(AllFieldModes))]
        public async Task EachFieldModeStaysInsideTheLabAndNormalRestoresTheDefaultRouter(FieldMode mode)
        {
            await lab.SetFieldModeAsync(mode);
            try
            {
                Assert.Equal(mode, lab.GetFieldMode());
                var roles = new List<LabRole> { LabRole.Lan, LabRole.Lan2, LabRole.Router, LabRole.Wan };
                if (mode == FieldMode.Cgnat || mode == FieldMode.CgnatNoStun || mode == FieldMode.DoubleRouter)
                {
                    roles.Add(LabRole.Edge);
                }

                var names = roles.Select(env.NamespaceOf).ToList();
                var veths = await lab.ListVethLinksAsync(roles);
                foreach (var link in veths)
                {
                    Assert.True(link.PeerNamespace != null && names.Contains(link.PeerNamespace), link.Namespace + " has a link outside the lab: " + link.Line);
                }

                // The edge modes add one link pair (the router's new wan0 and the edge's elan) and move one end.
                Assert.Equal(roles.Count == 5 ? 8 : 6, veths.Count);
            }
            finally
            {
                await lab.SetFieldModeAsync(FieldMode.Normal);
            }

            Assert.Equal(FieldMode.Normal, lab.GetFieldMode());
            var namespaces = (await lab.RunAsync("ip", new[] { "netns", "list" }, Bound)).EnsureSuccess().StandardOutput;
            Assert.DoesNotContain(env.EdgeNamespace, namespaces);
            Assert.Equal(new[] { env.RouterWanAddress }, await RouterWanAddressesAsync());
            Assert.Equal(env.RouterWanAddress, await IgdExternalAddressAsync(LabRole.Lan, env.RootDescriptionUrl));
            Assert.True((await lab.RunAsync("bash", new[] { env.LabScript, "status" }, Bound)).Succeeded, "lab.sh status fails after field " + mode + " and back");
        }

        private static int RandomPort(int from) => from + RandomNumberGenerator.GetInt32(5000);

        // 100.64.0.0/10, RFC 6598's shared address space for carrier NAT.
        private static bool IsSharedAddressSpace(IPAddress address)
        {
            var bytes = address.GetAddressBytes();
            return bytes[0] == 100 && (bytes[1] & 0xC0) == 64;
        }

        private async Task<IPAddress[]> RouterWanAddressesAsync()
        {
            var output = (await lab.RunCheckedAsync(LabRole.Router, "ip", new[] { "-4", "-o", "addr", "show", "dev", env.Values["RTR_WAN_IF"] })).StandardOutput;
            return Regex.Matches(output, @"inet (\S+)/").Select(m => IPAddress.Parse(m.Groups[1].Value)).ToArray();
        }

        // What the IGD's GetExternalIPAddress says, read through upnpc.
        private async Task<IPAddress> IgdExternalAddressAsync(LabRole role, Uri description)
        {
            var output = (await lab.RunCheckedAsync(role, "upnpc", new[] { "-u", description.ToString(), "-s" })).StandardOutput;
            var match = Regex.Match(output, @"ExternalIPAddress = (\S+)");
            Assert.True(match.Success, "upnpc -s reported no external address:\n" + output);
            return IPAddress.Parse(match.Groups[1].Value);
        }

        // A Binding request from the LAN to the lab's STUN server: the address the internet sees.
        private async Task<IPAddress> StunReflexiveAddressAsync()
        {
            using var client = new StunClient(new IPEndPoint(env.LanAddress, 0));
            var request = new StunMessage(StunMessageClass.Request, StunMethod.Binding, StunTransactionId.NewId());
            using var cts = new CancellationTokenSource(Bound);
            var result = await client.SendAsync(request, env.StunServer, StunRetransmissionPolicy.Rfc8489, cts.Token);
            Assert.True(result.Answered, "the STUN server at " + env.StunServer + " did not answer");
            return result.Response!.ReflexiveAddress!.Address;
        }

        // Maps the port to a listener on the LAN client and connects to it from the WAN host at the given address.
        private async Task<CommandResult> MapAndConnectFromWanAsync(int port, IPAddress target)
        {
            var portText = port.ToString(CultureInfo.InvariantCulture);
            await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-e", "field mode test", "-a", env.LanAddress.ToString(), portText, portText, "TCP" });
            try
            {
                return await ConnectFromWanAsync(port, target);
            }
            finally
            {
                await lab.TryRunUpnpcDirectAsync(LabRole.Lan, new[] { "-d", portText, "TCP" });
            }
        }

        // A listener on the LAN client serving a token once; the WAN host connects to target:port and must read it.
        private Task<CommandResult> ConnectFromWanAsync(int port, IPAddress target) => LabMappingProbe.ConnectFromWanAsync(lab, port, target);
    }
}
