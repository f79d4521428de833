using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Lab;
using Xunit;

namespace PSUpnp.Tests.Lab
{
    /// <summary>The lab is what it claims to be: the oracles the engine tests rely on answer as documented.</summary>
    [Collection(LabCollection.Name)]
    [Trait("Category", "Lab")]
    public sealed class LabSelfTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

        private readonly LabEnvironment env;
        private readonly LabController lab;

        public LabSelfTests(LabFixture fixture)
        {
            env = fixture.Environment;
            lab = fixture.Controller;
        }

        public static IEnumerable<object[]> AllNatModes() =>
            Enum.GetValues(typeof(NatMode)).Cast<NatMode>().Select(mode => new object[] { mode });

        [Fact]
        public void TestHostRunsInTheLanNamespace()
        {
            Assert.True(env.IsCurrentProcessInLan(), LabFixture.NotInLabMessage);
        }

        [Fact]
        public async Task MiniupnpdAnswersUpnpcFromTheSecondClient()
        {
            var output = await lab.RunUpnpcDirectAsync(LabRole.Lan2, new[] { "-s" });

            Assert.Contains("Local LAN ip address : " + env.Lan2Address, output);
            Assert.Contains("Status : Connected", output);
            Assert.Contains("ExternalIPAddress = " + env.RouterWanAddress, output);
        }

        [Fact]
        public async Task NatPmpGivesTheRoutersExternalAddress()
        {
            var result = await lab.RunCheckedAsync(LabRole.Lan, "natpmpc", new[] { "-g", env.RouterLanAddress.ToString() });

            Assert.Contains("Public IP address : " + env.RouterWanAddress, result.StandardOutput);
        }

        [Fact]
        public async Task CoturnAnswersBindingRequestsOnBothAddressesAndBothPorts()
        {
            var endpoints = new[]
            {
                new IPEndPoint(env.WanAddress1, env.StunPort),
                new IPEndPoint(env.WanAddress2, env.StunPort),
                new IPEndPoint(env.WanAddress1, env.StunAltPort),
                new IPEndPoint(env.WanAddress2, env.StunAltPort),
            };

            foreach (var server in endpoints)
            {
                var answered = await BindingSucceedsAsync(server);
                Assert.True(answered, "coturn at " + server + " sent no Binding success response");
            }
        }

        [Theory]
        [MemberData(nameof(AllNatModes))]
        public async Task EachNatModeIsClassifiedAsDocumentedByTurnutilsNatdiscovery(NatMode mode)
        {
            await lab.SetNatModeAsync(mode);
            try
            {
                Assert.Equal(mode, lab.GetNatMode());

                var verdict = await lab.RunNatDiscoveryAsync();

                var context = mode + ": " + verdict.Output;
                Assert.True(NatModes.ExpectedMapping(mode) == verdict.Mapping, "mapping " + verdict.Mapping + " in " + context);
                Assert.True(NatModes.ExpectedFiltering(mode) == verdict.Filtering, "filtering " + verdict.Filtering + " in " + context);
                Assert.True((mode == NatMode.Open) == verdict.NoNat, "no-NAT verdict " + verdict.NoNat + " in " + context);
                if (mode == NatMode.UdpBlocked)
                {
                    Assert.Null(verdict.ReflexiveAddress);
                }
                else
                {
                    var expected = mode == NatMode.Open ? env.LanOpenAddress : env.RouterWanAddress;
                    Assert.NotNull(verdict.ReflexiveAddress);
                    Assert.Equal(expected, verdict.ReflexiveAddress!.Address);
                }
            }
            finally
            {
                await lab.SetNatModeAsync(env.DefaultNatMode);
            }
        }

        [Fact]
        public async Task PacketLossRuleIsPresentOnlyWhileSet()
        {
            await lab.SetPacketLossAsync(30);
            try
            {
                var ruleset = await lab.GetRouterRulesetAsync();
                var rules = Regex.Matches(ruleset, "numgen random mod 100 < 30 drop");
                Assert.Equal(2, rules.Count);
                Assert.Contains("iifname \"br0\" numgen random mod 100 < 30 drop", ruleset);
                Assert.Contains("oifname \"br0\" numgen random mod 100 < 30 drop", ruleset);
            }
            finally
            {
                await lab.SetPacketLossAsync(0);
            }

            Assert.DoesNotContain("numgen random", await lab.GetRouterRulesetAsync());
        }

        [Fact]
        public async Task TotalPacketLossCutsTheRouterOffAndZeroRestoresIt()
        {
            var http = new IPEndPoint(env.RouterLanAddress, env.MiniupnpdHttpPort);
            await lab.SetPacketLossAsync(100);
            try
            {
                Assert.False(await TcpProbe.ConnectsAsync(http, TimeSpan.FromSeconds(2)), "a TCP connection reached miniupnpd through 100% loss");
            }
            finally
            {
                await lab.SetPacketLossAsync(0);
            }

            Assert.True(await TcpProbe.ConnectsAsync(http, Bound), "miniupnpd is unreachable after the loss rule was removed");
        }

        [Fact]
        public async Task MiniupnpdMappingForwardsATcpConnectionFromTheWanHostToTheLan()
        {
            var port = 20000 + RandomNumberGenerator.GetInt32(10000);
            var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var token = "lab-" + Guid.NewGuid().ToString("N");
            var listener = new TcpListener(env.LanAddress, port);
            listener.Start();
            try
            {
                await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-e", "lab self test", "-a", env.LanAddress.ToString(), portText, portText, "TCP" });
                try
                {
                    using var cts = new CancellationTokenSource(Bound);
                    var served = TcpProbe.ServeTokenOnceAsync(listener, token, cts.Token);

                    var probe = await lab.RunProbeAsync(
                        LabRole.Wan,
                        new[] { "tcp-connect", env.RouterWanAddress.ToString(), portText, "--expect-token", token },
                        Bound);

                    Assert.True(probe.Succeeded, probe.StandardError + probe.StandardOutput);
                    var peer = await served;
                    Assert.Equal(env.WanAddress1, peer.Address);
                }
                finally
                {
                    await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-d", portText, "TCP" });
                }
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public async Task WithoutAMappingTheWanHostCannotReachTheLanListener()
        {
            var port = 30000 + RandomNumberGenerator.GetInt32(10000);
            var listener = new TcpListener(env.LanAddress, port);
            listener.Start();
            try
            {
                var probe = await lab.RunProbeAsync(
                    LabRole.Wan,
                    new[] { "tcp-connect", env.RouterWanAddress.ToString(), port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--expect-token", "x", "--timeout", "3" },
                    Bound);

                Assert.Equal(1, probe.ExitCode);
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public async Task SecureModeRefusesThePortAnotherClientHoldsWith718()
        {
            var port = (40000 + RandomNumberGenerator.GetInt32(10000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-a", env.LanAddress.ToString(), port, port, "UDP" });
            try
            {
                var result = await lab.TryRunUpnpcDirectAsync(LabRole.Lan2, new[] { "-a", env.Lan2Address.ToString(), port, port, "UDP" });

                Assert.NotEqual(0, result.ExitCode);
                Assert.Contains("failed with code 718", result.StandardOutput);
            }
            finally
            {
                await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-d", port, "UDP" });
            }
        }

        [Fact]
        public async Task TheDeniedInternalPortGets606()
        {
            var denied = env.MiniupnpdDeniedPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

            var result = await lab.TryRunUpnpcDirectAsync(LabRole.Lan, new[] { "-a", env.LanAddress.ToString(), denied, "18080", "TCP" });

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("failed with code 606", result.StandardOutput);
        }

        [Fact]
        public async Task MiniupnpdRestartForgetsItsMappings()
        {
            var port = (50000 + RandomNumberGenerator.GetInt32(10000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var listed = new Regex(@"TCP\s+" + port + "->");
            await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-a", env.LanAddress.ToString(), port, port, "TCP" });
            Assert.Matches(listed, await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-l" }));

            await lab.RestartMiniupnpdAsync();

            Assert.DoesNotMatch(listed, await lab.RunUpnpcDirectAsync(LabRole.Lan, new[] { "-l" }));
            Assert.DoesNotContain("dport " + port, await lab.GetRouterRulesetAsync());
        }

        [Fact]
        public async Task EveryLabLinkLeadsToAnotherLabNamespace()
        {
            var lab4 = new[] { LabRole.Lan, LabRole.Lan2, LabRole.Router, LabRole.Wan };
            var names = lab4.Select(env.NamespaceOf).ToList();
            var veths = await lab.ListVethLinksAsync(lab4);
            foreach (var link in veths)
            {
                Assert.True(link.PeerNamespace != null && names.Contains(link.PeerNamespace), link.Namespace + " has a link outside the lab: " + link.Line);
            }

            Assert.Equal(6, veths.Count);
        }

        // A bare RFC 5389 Binding request, so that the lab's STUN server is proven without the engine under test.
        private static async Task<bool> BindingSucceedsAsync(IPEndPoint server)
        {
            var request = new byte[20];
            request[1] = 0x01;
            request[4] = 0x21;
            request[5] = 0x12;
            request[6] = 0xA4;
            request[7] = 0x42;
            RandomNumberGenerator.Fill(request.AsSpan(8, 12));
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Any, 0));
            var buffer = new byte[1500];
            for (var attempt = 0; attempt < 3; attempt++)
            {
                await socket.SendToAsync(request, SocketFlags.None, server);
                try
                {
                    using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), wait.Token);
                    return received.ReceivedBytes >= 20 && buffer[0] == 0x01 && buffer[1] == 0x01 &&
                        buffer.AsSpan(4, 16).SequenceEqual(request.AsSpan(4, 16));
                }
                catch (OperationCanceledException)
                {
                    // Silence for a second: resend, as a STUN client would.
                }
            }

            return false;
        }
    }
}
