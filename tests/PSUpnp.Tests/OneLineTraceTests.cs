using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Net;
using Xunit;

namespace PSUpnp.Tests.Discovery
{
    /// <summary>Issue 3: -Verbose traces discovery and every SOAP exchange in one line each, whatever the device sends.</summary>
    public sealed class OneLineTraceTests
    {
        [Theory]
        [InlineData("plain line", "plain line")]
        [InlineData("tab\tstays", "tab\tstays")]
        [InlineData("a\r\nb", "a\\r\\nb")]
        [InlineData("lone\rreturn", "lone\\rreturn")]
        [InlineData("bell\u0007 nel\u0085 ls\u2028 ps\u2029 del\u007f", "bell\\u0007 nel\\u0085 ls\\u2028 ps\\u2029 del\\u007f")]
        public void ControlCharactersAreWrittenAsEscapes(string message, string expected)
        {
            Assert.Equal(expected, OneLineTraceSink.Clean(message));
        }

        [Fact]
        public void EachMessageReachesTheInnerSinkOnceAsOneLine()
        {
            var inner = new ListTrace();
            var sink = new OneLineTraceSink(inner);

            sink.Trace("first\nforged second line");

            Assert.Equal(new[] { "first\\nforged second line" }, inner.Lines);
        }

        [Fact]
        public async Task ADeviceThatPutsLineBreaksIntoItsAnswersCannotSplitTheTrace()
        {
            var lines = new ListTrace();
            using var device = new SsdpResponder("127.0.0.1", request => new[]
            {
                "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: " + SsdpResponder.StOf(request) + "\r\nSERVER: Evil\rSSDP: forged\r\n"
                    + "LOCATION: http://127.0.0.1:5000/rootDesc.xml\r\n\r\n",
            });
            var seams = new DiscoverySeams
            {
                Network = FakeNetwork.Loopback("127.0.0.1"),
                Cache = new GatewayCache(),
                MulticastEndPoint = device.EndPoint,
                UnicastPort = 9,
                Fetch = (url, timeout, _, ct) => Task.FromResult(new HttpResponse(200, "OK", Array.Empty<KeyValuePair<string, string>>(),
                    Encoding.UTF8.GetBytes(GatewayLocatorTests.Description("Lab&#10;Discovery: forged"))))
            };

            var search = new GatewayLocator(new OneLineTraceSink(lines), new FakeClock(), seams).FindAsync(new GatewaySearch { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None);
            Assert.Same(search, await Task.WhenAny(search, Task.Delay(TimeSpan.FromSeconds(20))));
            var found = await search;

            Assert.Equal("Lab\nDiscovery: forged", Assert.Single(found).FriendlyName);
            Assert.NotEmpty(lines.Lines);
            Assert.DoesNotContain(lines.Lines, l => l.Contains('\n', StringComparison.Ordinal) || l.Contains('\r', StringComparison.Ordinal));
            Assert.True(lines.Any("SERVER Evil\\rSSDP: forged"), string.Join("\n", lines.Lines));
            Assert.True(lines.Any("usable gateway Lab\\nDiscovery: forged"), string.Join("\n", lines.Lines));
        }
    }
}
