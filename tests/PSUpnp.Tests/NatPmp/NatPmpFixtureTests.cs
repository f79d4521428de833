using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.NatPmp;
using PSUpnp.Tests.Fakes;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.NatPmp
{
    /// <summary>
    /// The lab miniupnpd's own NAT-PMP answers (Fixtures/miniupnpd-natpmp-pcp, see its README) through the parser and,
    /// replayed by a loopback server, through the client: what each means to a caller.
    /// </summary>
    public sealed class NatPmpFixtureTests
    {
        internal static readonly string Folder = RepoPaths.Combine("tests", "PSUpnp.Tests", "Fixtures", "miniupnpd-natpmp-pcp");

        private static readonly string[] Replayed =
        {
            "natpmp-external-address.bin", "natpmp-map-tcp.bin", "natpmp-map-tcp-port-taken.bin", "natpmp-map-tcp-denied-port.bin",
            "natpmp-delete-tcp.bin", "natpmp-delete-tcp-port-taken.bin", "natpmp-unsupported-opcode.bin",
        };

        [Fact]
        public void TheCaptureHoldsExactlyTheNatPmpFixturesTheseTestsReplay()
        {
            var captured = Directory.GetFiles(Folder, "natpmp-*").Select(f => Path.GetFileName(f)!);
            Assert.Equal(Replayed.OrderBy(f => f, StringComparer.Ordinal), captured.OrderBy(f => f, StringComparer.Ordinal));
        }

        [Fact]
        public void TheExternalAddressIsTheLabRoutersWanAddress()
        {
            var answer = Parse("natpmp-external-address.bin");

            Assert.Equal(NatPmpOpcode.ExternalAddress, answer.RequestOpcode);
            Assert.Equal(IPAddress.Parse("11.11.0.1"), answer.ExternalAddress);
            Assert.True(answer.Epoch > 0);
        }

        [Fact]
        public void AMappingIsGrantedAsAskedAndItsDeletionAnswersPortAndLifetimeZero()
        {
            var mapped = Parse("natpmp-map-tcp.bin");
            var deleted = Parse("natpmp-delete-tcp.bin");

            Assert.Equal((18201, 18201, 3600u), (mapped.InternalPort, mapped.ExternalPort, mapped.LifetimeSeconds));
            Assert.Equal((18201, 0, 0u), (deleted.InternalPort, deleted.ExternalPort, deleted.LifetimeSeconds));
            Assert.Equal(NatPmpResultCode.Success, deleted.ResultCode);
        }

        [Fact]
        public async Task APortHeldByAnotherClientIsGrantedAsTheNextPortNotRefused()
        {
            var answer = await ReplayMapAsync("natpmp-map-tcp-port-taken.bin", 18100);

            Assert.Equal(18100, answer.InternalPort);
            Assert.Equal(18101, answer.ExternalPort);
        }

        [Fact]
        public async Task ADeniedInternalPortIsNatPmpNotAuthorized()
        {
            var error = await Assert.ThrowsAsync<NatPmpException>(() => ReplayMapAsync("natpmp-map-tcp-denied-port.bin", 80));

            Assert.Equal("NatPmpNotAuthorized", error.ErrorId);
            Assert.Equal(2, error.ResultCode);
        }

        [Fact]
        public void AnUnknownOpcodeIsAnsweredWithResultFiveInTheHeaderAlone()
        {
            var bytes = File.ReadAllBytes(Path.Combine(Folder, "natpmp-unsupported-opcode.bin"));

            // Opcode 3 + 128 answers no request the parser knows: for the client, a datagram to ignore.
            Assert.Equal("00830005", Stun.StunMessageTests.ToHex(bytes.Take(4).ToArray()));
            Assert.Equal("NatPmpMalformedResponse", Assert.Throws<NatPmpException>(() => NatPmpResponse.Parse(bytes, 0, bytes.Length)).ErrorId);
        }

        internal static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

        private static NatPmpResponse Parse(string name)
        {
            var bytes = Read(name);
            return NatPmpResponse.Parse(bytes, 0, bytes.Length);
        }

        private static async Task<NatPmpMappingAnswer> ReplayMapAsync(string name, int internalPort)
        {
            using var server = new ScriptedUdpServer((request, copy) => new[] { UdpReply.Answer(Read(name)) });
            var client = new NatPmpClient(IPAddress.Loopback, TimeSpan.FromSeconds(10), null, null, IPAddress.Loopback, server.EndPoint.Port);
            return await client.MapAsync(PortMappingProtocol.TCP, internalPort, internalPort, TimeSpan.FromHours(1), CancellationToken.None);
        }
    }
}
