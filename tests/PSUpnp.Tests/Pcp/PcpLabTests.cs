using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Lab;
using PSUpnp.NatPmp;
using PSUpnp.Pcp;
using PSUpnp.Tests.Lab;
using Xunit;

namespace PSUpnp.Tests.Pcp
{
    /// <summary>
    /// PcpClient against the lab's real miniupnpd (which speaks PCP version 2 beside NAT-PMP): a MAP it makes appears
    /// in upnpc -l and forwards a TCP connection from the WAN host, and goes with its deletion; with UPnP switched
    /// off as well; under 30% loss an add ends as one mapping.
    /// </summary>
    [Collection(LabCollection.Name)]
    [Trait("Category", "Lab")]
    public sealed class PcpLabTests
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

        private readonly LabEnvironment env;
        private readonly LabController lab;

        public PcpLabTests(LabFixture fixture)
        {
            env = fixture.Environment;
            lab = fixture.Controller;
        }

        [Fact]
        public async Task AnnounceIsAnsweredWithTheEpochNatPmpReportsToo()
        {
            var natPmp = await new NatPmpClient(env.RouterLanAddress, Timeout).GetExternalAddressAsync(CancellationToken.None);
            var announce = await Client().AnnounceAsync(CancellationToken.None);

            Assert.Equal(PcpResultCode.Success, announce.ResultCode);
            Assert.False(PcpEpoch.MappingsLost(natPmp.Epoch, natPmp.ReceivedAt, announce.Epoch, announce.ReceivedAt), "miniupnpd's PCP epoch " + announce.Epoch + " disagrees with its NAT-PMP epoch " + natPmp.Epoch);
        }

        [Fact]
        public async Task AMapIsListedByUpnpcForwardsFromTheWanAndIsGoneAfterDelete()
        {
            var port = RandomPort();
            var nonce = PcpNonce.New();
            var client = Client();
            var mapped = await client.MapAsync(PortMappingProtocol.TCP, port, port, TimeSpan.FromSeconds(600), nonce, CancellationToken.None);
            CommandResult whileMapped;
            bool listed;
            try
            {
                listed = await LabMappingProbe.IsListedAsync(lab, "TCP", port);
                whileMapped = await LabMappingProbe.ConnectFromWanAsync(lab, port);
            }
            finally
            {
                await client.DeleteAsync(PortMappingProtocol.TCP, port, nonce, CancellationToken.None);
            }

            Assert.Equal(port, mapped.ExternalPort);
            Assert.Equal(env.RouterWanAddress, mapped.ExternalAddress);
            Assert.Equal(env.LanAddress, mapped.InternalAddress);
            Assert.Equal(nonce, mapped.Nonce);
            Assert.True(mapped.Lifetime > TimeSpan.Zero && mapped.Lifetime <= TimeSpan.FromSeconds(600), "granted " + mapped.Lifetime);
            Assert.True(listed, "upnpc -l does not list the PCP mapping");
            Assert.True(whileMapped.Succeeded, "the WAN host did not reach the PCP mapping: " + whileMapped.StandardError + whileMapped.StandardOutput);
            Assert.False(await LabMappingProbe.IsListedAsync(lab, "TCP", port), "upnpc -l still lists the PCP mapping after its deletion");
            Assert.Equal(1, (await LabMappingProbe.ConnectFromWanAsync(lab, port)).ExitCode);
        }

        [Fact]
        public async Task WithUpnpOffAMapStillForwardsFromTheWan()
        {
            var port = RandomPort();
            var nonce = PcpNonce.New();
            var client = Client();

            await LabMappingProbe.AssertForwardsOnlyWhileMappedWithUpnpOffAsync(
                lab,
                port,
                () => client.MapAsync(PortMappingProtocol.TCP, port, port, TimeSpan.FromSeconds(600), nonce, CancellationToken.None),
                () => client.DeleteAsync(PortMappingProtocol.TCP, port, nonce, CancellationToken.None));
        }

        [Fact]
        public async Task ARenewalWithTheSameNonceKeepsOneMapping()
        {
            var port = RandomPort();
            var nonce = PcpNonce.New();
            var client = Client();
            try
            {
                await client.MapAsync(PortMappingProtocol.UDP, port, port, TimeSpan.FromSeconds(600), nonce, CancellationToken.None);
                var renewed = await client.MapAsync(PortMappingProtocol.UDP, port, port, TimeSpan.FromSeconds(1200), nonce, CancellationToken.None);

                Assert.Equal(port, renewed.ExternalPort);
                Assert.Single(Listed("UDP", port, await ListingAsync()));
            }
            finally
            {
                await client.DeleteAsync(PortMappingProtocol.UDP, port, nonce, CancellationToken.None);
            }
        }

        [Fact]
        public async Task UnderThirtyPercentLossAnAddEndsAsExactlyOneMapping()
        {
            var port = RandomPort();
            var nonce = PcpNonce.New();
            await lab.SetPacketLossAsync(30);
            PcpMapAnswer mapped;
            try
            {
                // PCP resends after 3 s, 9 s, 21 s, 45 s (RFC 6887): the bound leaves room for five copies.
                mapped = await Client(TimeSpan.FromSeconds(90)).MapAsync(PortMappingProtocol.TCP, port, port, TimeSpan.FromSeconds(600), nonce, CancellationToken.None);
            }
            finally
            {
                await lab.SetPacketLossAsync(0);
            }

            try
            {
                Assert.Equal(port, mapped.ExternalPort);
                Assert.Single(Listed("TCP", port, await ListingAsync()));
            }
            finally
            {
                await Client().DeleteAsync(PortMappingProtocol.TCP, port, nonce, CancellationToken.None);
            }
        }

        private static int RandomPort() => 50000 + RandomNumberGenerator.GetInt32(10000);

        private PcpClient Client(TimeSpan? timeout = null) => new PcpClient(env.RouterLanAddress, timeout ?? Timeout);

        private async Task<string> ListingAsync() => (await lab.TryRunUpnpcDirectAsync(LabRole.Lan, new[] { "-l" })).StandardOutput;

        // Every entry of the listing that forwards to the LAN client's port, whatever its external port.
        private MatchCollection Listed(string protocol, int port, string listing) =>
            Regex.Matches(listing, string.Format(CultureInfo.InvariantCulture, @"^\s*\d+\s+{0}\s+\d+->{1}:{2}\s", protocol, Regex.Escape(env.LanAddress.ToString()), port), RegexOptions.Multiline);
    }
}
