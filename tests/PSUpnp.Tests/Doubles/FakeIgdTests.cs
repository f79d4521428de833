using System;
using System.Collections.Generic;
using PSUpnp.Igd;
using PSUpnp.Net;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Fakes;

namespace PSUpnp.Tests.Igd
{
    /// <summary>What the tests of the engine against the fault-injecting fake IGD share: the servers they start, a fixed clock, a trace.</summary>
    public abstract class FakeIgdTests : IDisposable
    {
        private protected static readonly DateTimeOffset Now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        // Bounds that make a hung test fail; the fake answers in microseconds.
        private protected static readonly HttpLimits TestLimits = new HttpLimits(TimeSpan.FromSeconds(5), 64 * 1024);

        private readonly List<FakeIgdServer> _servers = new List<FakeIgdServer>();

        private protected ListTrace Trace { get; } = new ListTrace();

        public void Dispose()
        {
            foreach (var s in _servers)
            {
                s.Dispose();
            }

            GC.SuppressFinalize(this);
        }

        private protected FakeIgdServer Server(int version = 1)
        {
            var s = new FakeIgdServer(version);
            _servers.Add(s);
            return s;
        }

        private protected IgdClient Client(FakeIgdServer server, HttpLimits? limits = null) =>
            new IgdClient(server.Gateway, Trace, new FakeClock { UtcNow = Now }, limits ?? TestLimits);

        private protected static PortMappingRequest Request(int port = 8080, TimeSpan? lease = null) => new PortMappingRequest
        {
            ExternalPort = port,
            Description = "test",
            LeaseDuration = lease ?? TimeSpan.FromHours(1),
        };

        private protected static FakeMapping Other(int port = 8080) =>
            new FakeMapping(string.Empty, port, "TCP", 9000, "192.168.1.99", true, "someone else", 0);
    }
}
