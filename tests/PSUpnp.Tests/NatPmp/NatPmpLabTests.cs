using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Lab;
using PSUpnp.NatPmp;
using PSUpnp.Tests.Lab;
using Xunit;

namespace PSUpnp.Tests.NatPmp
{
    /// <summary>
    /// NatPmpClient against the lab's real miniupnpd, checked by the reference client natpmpc and by upnpc -l: each
    /// makes what the other deletes, with UPnP switched off too, and under 30% loss an add ends as one mapping.
    /// </summary>
    [Collection(LabCollection.Name)]
    [Trait("Category", "Lab")]
    public sealed class NatPmpLabTests
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

        private readonly LabEnvironment env;
        private readonly LabController lab;

        public NatPmpLabTests(LabFixture fixture)
        {
            env = fixture.Environment;
            lab = fixture.Controller;
        }

        [Fact]
        public async Task TheExternalAddressIsTheRoutersWanAddressAsNatpmpcReportsIt()
        {
            var answer = await Client().GetExternalAddressAsync(CancellationToken.None);
            var natpmpc = await lab.RunCheckedAsync(LabRole.Lan, "natpmpc", new[] { "-g", env.RouterLanAddress.ToString() });

            Assert.Equal(env.RouterWanAddress, answer.ExternalAddress);
            Assert.Contains("Public IP address : " + answer.ExternalAddress, natpmpc.StandardOutput);
            Assert.Equal(NatPmpResultCode.Success, answer.ResultCode);
        }

        [Fact]
        public async Task AMappingOurClientMakesIsListedByUpnpcAndNatpmpcDeletesIt()
        {
            var port = RandomPort();
            var mapped = await Client().MapAsync(PortMappingProtocol.TCP, port, port, TimeSpan.FromSeconds(3600), CancellationToken.None);
            try
            {
                Assert.Equal(port, mapped.ExternalPort);
                Assert.Equal(port, mapped.InternalPort);
                Assert.Equal(TimeSpan.FromSeconds(3600), mapped.Lifetime);
                Assert.True(await LabMappingProbe.IsListedAsync(lab, "TCP", port), "upnpc -l does not list the mapping NatPmpClient made");
            }
            finally
            {
                var deleted = await Natpmpc(port, 0);
                Assert.Contains("Mapped public port 0 protocol TCP to local port " + port + " liftime 0", deleted);
            }

            Assert.False(await LabMappingProbe.IsListedAsync(lab, "TCP", port), "upnpc -l still lists the mapping natpmpc deleted");
        }

        [Fact]
        public async Task AMappingNatpmpcMakesIsDeletedByOurClient()
        {
            var port = RandomPort();
            var made = await Natpmpc(port, 3600);
            Assert.Contains("Mapped public port " + port + " protocol TCP to local port " + port + " liftime 3600", made);
            Assert.True(await LabMappingProbe.IsListedAsync(lab, "TCP", port), "upnpc -l does not list natpmpc's mapping");

            var deleted = await Client().DeleteAsync(PortMappingProtocol.TCP, port, CancellationToken.None);

            Assert.Equal(0, deleted.ExternalPort);
            Assert.Equal(TimeSpan.Zero, deleted.Lifetime);
            Assert.False(await LabMappingProbe.IsListedAsync(lab, "TCP", port), "upnpc -l still lists natpmpc's mapping after our delete");
        }

        [Fact]
        public async Task WithUpnpOffAMappingStillForwardsFromTheWanAndStopsAfterDelete()
        {
            var port = RandomPort();
            var client = Client();

            await LabMappingProbe.AssertForwardsOnlyWhileMappedWithUpnpOffAsync(
                lab,
                port,
                () => client.MapAsync(PortMappingProtocol.TCP, port, port, TimeSpan.FromSeconds(600), CancellationToken.None),
                () => client.DeleteAsync(PortMappingProtocol.TCP, port, CancellationToken.None));
        }

        [Fact]
        public async Task UnderThirtyPercentLossAnAddEndsAsExactlyOneMapping()
        {
            var port = RandomPort();
            await lab.SetPacketLossAsync(30);
            NatPmpMappingAnswer mapped;
            try
            {
                // The bound is generous: what is proven is one mapping however many copies the loss made necessary.
                mapped = await Client(TimeSpan.FromSeconds(60)).MapAsync(PortMappingProtocol.TCP, port, port, TimeSpan.FromSeconds(600), CancellationToken.None);
            }
            finally
            {
                await lab.SetPacketLossAsync(0);
            }

            try
            {
                var listing = (await lab.TryRunUpnpcDirectAsync(LabRole.Lan, new[] { "-l" })).StandardOutput;
                Assert.Equal(port, mapped.ExternalPort);
                Assert.Single(Regex.Matches(listing, string.Format(CultureInfo.InvariantCulture, @"^\s*\d+\s+TCP\s+\d+->{0}:{1}\s", Regex.Escape(env.LanAddress.ToString()), port), RegexOptions.Multiline));
            }
            finally
            {
                await Client().DeleteAsync(PortMappingProtocol.TCP, port, CancellationToken.None);
            }
        }

        private static int RandomPort() => 40000 + RandomNumberGenerator.GetInt32(10000);

        private NatPmpClient Client(TimeSpan? timeout = null) => new NatPmpClient(env.RouterLanAddress, timeout ?? Timeout);

        private async Task<string> Natpmpc(int port, int lifetime)
        {
            var text = port.ToString(CultureInfo.InvariantCulture);
            var arguments = new[] { "-g", env.RouterLanAddress.ToString(), "-a", text, text, "tcp", lifetime.ToString(CultureInfo.InvariantCulture) };
            return (await lab.RunCheckedAsync(LabRole.Lan, "natpmpc", arguments)).StandardOutput;
        }
    }
}
