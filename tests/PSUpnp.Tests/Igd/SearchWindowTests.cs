using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Net;
using PSUpnp.Ssdp;
using Xunit;

namespace PSUpnp.Tests.Discovery
{
    /// <summary>
    /// A search for every gateway ends when the M-SEARCH's MX window has closed and the descriptions that arrived are
    /// read, not when -TimeoutSec runs out: the timeout is a bound, not a wait. The window's wait is held by the test,
    /// so what ends the search is seen, not timed; the timeout is ten minutes, so it cannot be what ends it.
    /// </summary>
    public sealed class SearchWindowTests : IDisposable
    {
        private static readonly TimeSpan FarTimeout = TimeSpan.FromMinutes(10);
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);
        private const string Location = "http://127.0.0.1:5000/rootDesc.xml";

        private readonly SsdpResponder _device;
        private readonly FakeClock _clock = new FakeClock();
        private readonly ListTrace _trace = new ListTrace();
        private readonly TaskCompletionSource<TimeSpan> _windowAsked = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _windowClosed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _descriptionRead = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly DiscoverySeams _seams;

        public SearchWindowTests()
        {
            _device = new SsdpResponder("127.0.0.1", request => new[] { SsdpResponder.Response(SsdpResponder.StOf(request), Location) });
            _seams = new DiscoverySeams
            {
                Network = FakeNetwork.Loopback("127.0.0.1"),
                Cache = new GatewayCache(),
                MulticastEndPoint = _device.EndPoint,
                UnicastPort = 1,
                Fetch = async (url, timeout, _, ct) =>
                {
                    await _descriptionRead.Task.WaitAsync(ct);
                    return new HttpResponse(200, "OK", Array.Empty<KeyValuePair<string, string>>(), Encoding.UTF8.GetBytes(GatewayLocatorTests.Description()));
                },
                Probe = (g, timeout, t, ct) => throw new InvalidOperationException("a single-service device must not be probed"),
                WindowWait = (rest, ct) =>
                {
                    _windowAsked.TrySetResult(rest);
                    return _windowClosed.Task;
                },
            };
        }

        public void Dispose() => _device.Dispose();

        private Task<IReadOnlyList<UpnpGateway>> SearchAll() =>
            new GatewayLocator(_trace, _clock, _seams).FindAsync(new GatewaySearch { Timeout = FarTimeout, All = true }, CancellationToken.None);

        [Fact]
        public async Task ASearchForEveryGatewayWaitsOutTheMXWindowAfterTheLastRoundAndThenEnds()
        {
            _descriptionRead.SetResult(true);
            var search = SearchAll();

            // The clock stands still, so the rest of the window is the whole MX after the round that was answered.
            var rest = await _windowAsked.Task.WaitAsync(Budget);
            Assert.Equal(TimeSpan.FromSeconds(_seams.Mx), rest);
            Assert.False(search.IsCompleted, "the search must wait for the window, since a device may answer until it closes");

            _windowClosed.SetResult(true);
            var found = await search.WaitAsync(Budget);

            Assert.Equal("Lab router", Assert.Single(found).FriendlyName);
            Assert.Contains(_trace.Lines, l => l.Contains("MX window has closed", StringComparison.Ordinal));
        }

        [Fact]
        public async Task ADescriptionStillBeingReadWhenTheWindowClosesIsWaitedForAndReturned()
        {
            var search = SearchAll();
            await _windowAsked.Task.WaitAsync(Budget);

            _windowClosed.SetResult(true);
            await WhenTraced("MX window has closed");
            Assert.False(search.IsCompleted, "a description that is on its way must be read before the search ends");

            _descriptionRead.SetResult(true);
            var found = await search.WaitAsync(Budget);

            Assert.Single(found);
        }

        [Fact]
        public async Task TheFirstUsableGatewayIsReturnedWithoutWaitingForTheWindow()
        {
            _descriptionRead.SetResult(true);

            var found = await new GatewayLocator(_trace, _clock, _seams)
                .FindAsync(new GatewaySearch { Timeout = FarTimeout }, CancellationToken.None).WaitAsync(Budget);

            Assert.Single(found);
            Assert.False(_windowAsked.Task.IsCompleted);
        }

        private async Task WhenTraced(string fragment)
        {
            using var budget = new CancellationTokenSource(Budget);
            while (!_trace.Lines.Any(l => l.Contains(fragment, StringComparison.Ordinal)))
            {
                await Task.Delay(10, budget.Token);
            }
        }
    }
}
