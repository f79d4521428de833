using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Engine;
using PSUpnp.Igd;
using PSUpnp.Lab;
using PSUpnp.Tests.Lab;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>
    /// The engine against the lab's real miniupnpd (IGD v2, secure_mode, a deny rule on port 80), from the lan
    /// namespace; a second client in lan2 uses upnpc. What a cmdlet does goes through the façade the cmdlets call
    /// (UpnpEngine, given the router as -Gateway gives it); IgdClient is used alone only for single actions and the
    /// v1 way of reading the table. Each test uses its own ports and removes what it made.
    /// </summary>
    [Trait("Category", "Lab")]
    [Collection(LabCollection.Name)]
    public sealed class IgdLabTests : IDisposable
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
        private readonly LabFixture _lab;
        private readonly CancellationTokenSource _bound = new CancellationTokenSource(Bound);

        public IgdLabTests(LabFixture lab)
        {
            _lab = lab;
        }

        private LabEnvironment Env => _lab.Environment;

        private IgdClient Client(int serviceVersion = 2) => new IgdClient(LabGateway.Miniupnpd(Env, serviceVersion));

        private UpnpGateway Router => LabGateway.Miniupnpd(Env);

        /// <summary>The façade with the cmdlets' default -TimeoutSec.</summary>
        private static UpnpEngine Engine() => new UpnpEngine(null, GatewaySearch.DefaultTimeout);

        /// <summary>What Add-UpnpPortMapping does: the request prepared once for the router, then added or renewed.</summary>
        private async Task<OperationResult<PortMappingResult>> AddAsync(PortMappingRequest request) =>
            await Engine().AddPortMappingAsync(UpnpEngine.PrepareAddition(request, Router), Token());

        private async Task<IReadOnlyList<UpnpPortMapping>> ListAsync() =>
            (await Engine().GetPortMappingsAsync(Router, null, null, Token())).Value;

        public void Dispose() => _bound.Dispose();

        private CancellationToken Token() => _bound.Token;

        private static PortMappingRequest Request(int port, string description = "PSUpnp lab test", TimeSpan? lease = null) => new PortMappingRequest
        {
            ExternalPort = port,
            Protocol = PortMappingProtocol.TCP,
            Description = description,
            LeaseDuration = lease ?? TimeSpan.FromMinutes(10),
        };

        private async Task RemoveAsync(IgdClient client, params int[] ports)
        {
            foreach (var port in ports)
            {
                try
                {
                    await client.DeletePortMappingAsync(null, port, PortMappingProtocol.TCP, CancellationToken.None);
                }
                catch (UpnpFaultException ex) when (ex.ErrorCode == UpnpFaultCodes.NoSuchEntryInArray)
                {
                }
            }
        }

        [Fact]
        public async Task ExternalAddressIsTheRoutersWanAddressAndConnected()
        {
            var result = await Engine().GetExternalAddressAsync(Router, Token());
            var address = result.Value;
            Assert.Empty(result.Warnings);
            Assert.Equal(Env.RouterWanAddress, address.ExternalAddress);
            Assert.Equal("Connected", address.ConnectionStatus);
            Assert.False(address.IsBehindAnotherNat);
        }

        [Fact]
        public async Task AddGetSpecificAndDeleteAMapping()
        {
            var client = Client();
            const int port = 18101;
            try
            {
                var result = await client.AddPortMappingAsync(Request(port, lease: TimeSpan.FromMinutes(10)), Token());
                Assert.Equal(PortMappingChange.Created, result.Change);
                Assert.Empty(result.Warnings);
                Assert.Equal(Env.LanAddress, result.Mapping.InternalClient);
                Assert.Equal(port, result.Mapping.InternalPort);
                Assert.InRange(result.Mapping.LeaseDuration, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
                Assert.NotNull(result.Mapping.ExpiresAt);

                var held = await client.GetSpecificPortMappingAsync(null, port, PortMappingProtocol.TCP, Token());
                Assert.NotNull(held);
                Assert.Equal(Env.LanAddress, held!.InternalClient);
                Assert.Equal("PSUpnp lab test", held.Description);

                await client.DeletePortMappingAsync(null, port, PortMappingProtocol.TCP, Token());
                Assert.Null(await client.GetSpecificPortMappingAsync(null, port, PortMappingProtocol.TCP, Token()));
            }
            finally
            {
                await RemoveAsync(client, port);
            }
        }

        [Fact]
        public async Task ADescriptionWithMarkupArrivesIntactAtTheRealRouter()
        {
            var client = Client();
            const int port = 18102;
            const string description = "<a>&\"' x";
            try
            {
                var result = (await AddAsync(Request(port, description))).Value;
                Assert.Equal(description, result.Mapping.Description);
                var listed = await ListAsync();
                Assert.Equal(description, Assert.Single(listed, m => m.ExternalPort == port).Description);
            }
            finally
            {
                await RemoveAsync(client, port);
            }
        }

        [Fact]
        public async Task ListingGivesTheSameTableByGetListOfPortMappingsAndByGenericIteration()
        {
            var client = Client();
            var ports = Enumerable.Range(18110, 5).ToArray();
            try
            {
                foreach (var p in ports)
                {
                    await client.AddPortMappingAsync(Request(p, "list " + p), Token());
                }

                var progress = new List<int>();
                var v2 = await client.GetPortMappingsAsync(new InlineProgress(progress), Token());

                // The same router spoken to as a v1 service: GetGenericPortMappingEntry until 713.
                var v1 = await Client(1).GetPortMappingsAsync(null, Token());

                static string Key(UpnpPortMapping m) => m.Protocol + " " + m.ExternalPort + " " + m.InternalClient + ":" + m.InternalPort + " " + m.Description;
                var ours2 = v2.Where(m => ports.Contains(m.ExternalPort)).Select(Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
                var ours1 = v1.Where(m => ports.Contains(m.ExternalPort)).Select(Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
                Assert.Equal(ports.Length, ours2.Count);
                Assert.Equal(ours2, ours1);
                Assert.Equal(v2.Count, v1.Count);
                Assert.NotEmpty(progress);
                Assert.Equal(v2.Count, progress[^1]);
            }
            finally
            {
                await RemoveAsync(client, ports);
            }
        }

        [Fact]
        public async Task AddingTheSameMappingAgainRenewsItInPlace()
        {
            var client = Client();
            const int port = 18103;
            try
            {
                await AddAsync(Request(port, lease: TimeSpan.FromMinutes(2)));
                var renewed = (await AddAsync(Request(port, lease: TimeSpan.FromMinutes(30)))).Value;

                Assert.Equal(PortMappingChange.Renewed, renewed.Change);
                Assert.InRange(renewed.Mapping.LeaseDuration, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
                var listed = await ListAsync();
                Assert.Single(listed, m => m.ExternalPort == port && m.Protocol == PortMappingProtocol.TCP);
            }
            finally
            {
                await RemoveAsync(client, port);
            }
        }

        [Fact]
        public async Task APermanentRequestBecomesTheLongestV2LeaseAndIsReported()
        {
            var client = Client();
            const int port = 18104;
            try
            {
                var result = await AddAsync(Request(port, lease: TimeSpan.Zero));
                Assert.InRange(result.Value.Mapping.LeaseDuration, TimeSpan.FromSeconds(604790), TimeSpan.FromSeconds(604800));
                Assert.Contains(result.Warnings, w => w.Contains("604800", StringComparison.Ordinal));
            }
            finally
            {
                await RemoveAsync(client, port);
            }
        }

        [Fact]
        public async Task APortHeldByAnotherLanClientIsAConflictNamingThatClientAndForceCannotTakeItInSecureMode()
        {
            var client = Client();
            const int port = 18105;
            var lan2 = Env.Lan2Address.ToString();
            await _lab.Controller.RunUpnpcDirectAsync(LabRole.Lan2, new[] { "-e", "held by lan2", "-a", lan2, port.ToString(CultureInfo.InvariantCulture), port.ToString(CultureInfo.InvariantCulture), "TCP", "600" });
            try
            {
                var conflict = await Assert.ThrowsAsync<UpnpMappingConflictException>(() => AddAsync(Request(port)));
                Assert.Equal("UpnpMappingConflict", conflict.ErrorId);
                Assert.Contains(lan2, conflict.Message);
                Assert.Equal(Env.Lan2Address, conflict.ExistingMapping.InternalClient);

                // miniupnpd's secure_mode lets no client delete another client's mapping: the takeover is refused
                // with 606, and lan2's mapping stays as it was.
                var force = Request(port);
                force.Force = true;
                var refused = await Assert.ThrowsAsync<UpnpFaultException>(() => AddAsync(force));
                Assert.Equal(UpnpFaultCodes.ActionNotAuthorized, refused.ErrorCode);
                Assert.Equal("DeletePortMapping", refused.ActionName);

                var held = await client.GetSpecificPortMappingAsync(null, port, PortMappingProtocol.TCP, Token());
                Assert.NotNull(held);
                Assert.Equal(Env.Lan2Address, held!.InternalClient);
                Assert.Equal("held by lan2", held.Description);
            }
            finally
            {
                await _lab.Controller.RunInAsync(LabRole.Lan2, "upnpc", new[] { "-u", Env.RootDescriptionUrl.ToString(), "-d", port.ToString(CultureInfo.InvariantCulture), "TCP" }, Bound);
            }
        }

        [Fact]
        public async Task RemovingAMappingThatIsNotThereIsMappingNotFoundAlthoughMiniupnpdAnswersItsDeleteWithSuccess()
        {
            var client = Client();
            const int port = 48099;
            await RemoveAsync(client, port);

            // The quirk this guards against: the real router says success to deleting what it does not hold.
            await client.DeletePortMappingAsync(null, port, PortMappingProtocol.TCP, Token());
            var error = await Assert.ThrowsAnyAsync<UpnpException>(() => Engine().RemovePortMappingAsync(Router, null, port, PortMappingProtocol.TCP, Token()));

            Assert.Equal("UpnpMappingNotFound", error.ErrorId);
            Assert.Equal(UpnpErrorCategory.ObjectNotFound, error.Category);
        }

        [Fact]
        public async Task RemovingAMappingReturnsItAsTheRouterHeldItAndItIsGone()
        {
            var client = Client();
            const int port = 48098;
            try
            {
                await AddAsync(new PortMappingRequest { ExternalPort = port, InternalPort = 9000, Description = "PSUpnp remove", LeaseDuration = TimeSpan.FromMinutes(10) });

                var removed = (await Engine().RemovePortMappingAsync(Router, null, port, PortMappingProtocol.TCP, Token())).Value;

                Assert.NotNull(removed);
                Assert.Equal(9000, removed!.InternalPort);
                Assert.Equal("PSUpnp remove", removed.Description);
                Assert.Equal(Env.LanAddress, removed.InternalClient);
                Assert.Null(await client.GetSpecificPortMappingAsync(null, port, PortMappingProtocol.TCP, Token()));
            }
            finally
            {
                await RemoveAsync(client, port);
            }
        }

        [Fact]
        public async Task TheRoutersDenyRuleGives606()
        {
            var client = Client();
            var port = Env.MiniupnpdDeniedPort;
            var ex = await Assert.ThrowsAsync<UpnpFaultException>(() => AddAsync(Request(port)));
            Assert.Equal(UpnpFaultCodes.ActionNotAuthorized, ex.ErrorCode);
            Assert.Equal(UpnpErrorCategory.PermissionDenied, ex.Category);
            Assert.Null(await client.GetSpecificPortMappingAsync(null, port, PortMappingProtocol.TCP, Token()));
        }

        [Fact]
        public async Task AMappingReallyForwardsFromTheWanToAListenerHere()
        {
            var client = Client();
            const int externalPort = 18107;
            var listener = new TcpListener(Env.LanAddress, 0);
            listener.Start();
            try
            {
                var internalPort = ((IPEndPoint)listener.LocalEndpoint).Port;
                var request = Request(externalPort);
                request.InternalPort = internalPort;
                await AddAsync(request);

                var token = Guid.NewGuid().ToString("N");
                using var cts = new CancellationTokenSource(Bound);
                var served = TcpProbe.ServeTokenOnceAsync(listener, token, cts.Token);
                var probe = await _lab.Controller.RunProbeAsync(
                    LabRole.Wan,
                    new[] { "tcp-connect", Env.RouterWanAddress.ToString(), externalPort.ToString(CultureInfo.InvariantCulture), "--expect-token", token },
                    Bound);
                probe.EnsureSuccess();
                var peer = await served;
                Assert.Equal(Env.WanAddress1, peer.Address);
            }
            finally
            {
                listener.Stop();
                await RemoveAsync(client, externalPort);
            }
        }

        [Fact]
        public async Task TheFacadeDiscoversTheRouterOncePerRunAndForgetsItWhenItIsGone()
        {
            var cache = new GatewayCache();
            var engine = new UpnpEngine(null, GatewaySearch.DefaultTimeout, Env.LanAddress, false, new DiscoverySeams { Cache = cache });
            var gateway = (await engine.ResolveAsync(null, Token())).Value;
            Assert.Equal(Router.ControlUrl, gateway.ControlUrl);
            Assert.Same(gateway, (await engine.ResolveAsync(null, Token())).Value);
            Assert.Equal(1, cache.Count);

            await _lab.Controller.StopMiniupnpdAsync();
            try
            {
                await Assert.ThrowsAsync<UpnpConnectionException>(() => engine.GetExternalAddressAsync(gateway, Token()));
                Assert.Equal(0, cache.Count);
            }
            finally
            {
                await _lab.Controller.StartMiniupnpdAsync();
            }

            // Forgotten by the run too: the next call discovers the router again, and it answers.
            var again = (await engine.ResolveAsync(null, Token())).Value;
            Assert.NotSame(gateway, again);
            Assert.Equal(Env.RouterWanAddress, (await engine.GetExternalAddressAsync(again, Token())).Value.ExternalAddress);
        }

        private sealed class InlineProgress : IProgress<int>
        {
            private readonly List<int> _reports;
            public InlineProgress(List<int> reports) => _reports = reports;
            public void Report(int value) => _reports.Add(value);
        }
    }
}
