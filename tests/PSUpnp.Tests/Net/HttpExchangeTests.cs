using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Net
{
    public sealed class HttpExchangeTests
    {
        private static readonly KeyValuePair<string, string>[] NoHeaders = Array.Empty<KeyValuePair<string, string>>();
        private static readonly HttpLimits Quick = new HttpLimits(TimeSpan.FromSeconds(2), 64 * 1024);

        [Fact]
        public async Task PostSendsExactlyOneWellFormedRequestWithHostLengthAndClose()
        {
            using var server = LoopbackHttpServer.Answering(LoopbackHttpServer.Response(200, "OK", "text/xml", "<ok/>"u8.ToArray()));
            var body = Encoding.UTF8.GetBytes("<x>é</x>");
            var headers = new[] { new KeyValuePair<string, string>("SOAPAction", "\"urn:a#B\"") };

            var response = await HttpExchange.SendAsync("POST", server.Url("/ctl?x=1"), headers, body, Quick, CancellationToken.None);

            Assert.Equal(200, response.StatusCode);
            Assert.Equal("<ok/>", Encoding.UTF8.GetString(response.Body));
            Assert.True(server.Requests.TryDequeue(out var request));
            var expected = "POST /ctl?x=1 HTTP/1.1\r\n"
                + $"Host: 127.0.0.1:{server.Port}\r\n"
                + "SOAPAction: \"urn:a#B\"\r\n"
                + "User-Agent: PSUpnp/1 UPnP/1.1\r\n"
                + "Content-Length: 9\r\n"
                + "Connection: close\r\n\r\n";
            Assert.Equal(Encoding.ASCII.GetBytes(expected).Concat(body).ToArray(), request!.Raw);
        }

        [Fact]
        public async Task ChunkedBodyIsDecodedAcrossArbitrarySegmentBoundaries()
        {
            using var server = new LoopbackHttpServer(async (_, stream, ct) =>
            {
                var raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: 1\r\n\r\n"u8.ToArray();
                foreach (var b in raw)
                {
                    await stream.WriteAsync(new[] { b }, ct);
                    await stream.FlushAsync(ct);
                }
            });

            var response = await HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Quick, CancellationToken.None);

            Assert.Equal("hello world", Encoding.ASCII.GetString(response.Body));
        }

        [Fact]
        public async Task BodyWithoutLengthIsReadUntilTheDeviceCloses()
        {
            using var server = LoopbackHttpServer.Answering("HTTP/1.0 200 OK\nContent-Type: text/xml\n\n<root/>");

            var response = await HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Quick, CancellationToken.None);

            Assert.Equal("<root/>", Encoding.ASCII.GetString(response.Body));
            Assert.Equal("text/xml", response.GetHeader("content-type"));
        }

        [Fact]
        public async Task Interim100ContinueIsSkipped()
        {
            using var server = LoopbackHttpServer.Answering("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

            var response = await HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Quick, CancellationToken.None);

            Assert.Equal(200, response.StatusCode);
            Assert.Equal("ok", Encoding.ASCII.GetString(response.Body));
        }

        [Fact]
        public async Task DeclaredOversizedBodyIsRefusedBeforeReadingIt()
        {
            using var server = LoopbackHttpServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\n\r\n<");

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Quick, CancellationToken.None));

            Assert.Equal("UpnpResponseTooLarge", error.ErrorId);
        }

        [Fact]
        public async Task EndlessBodyWithoutLengthStopsAtTheSizeCap()
        {
            using var server = new LoopbackHttpServer(async (_, stream, ct) =>
            {
                await stream.WriteAsync("HTTP/1.1 200 OK\r\n\r\n"u8.ToArray(), ct);
                var junk = new byte[8192];
                for (var i = 0; i < 12_800; i++)
                {
                    await stream.WriteAsync(junk, ct);
                }
            });

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Quick, CancellationToken.None));

            Assert.Equal("UpnpResponseTooLarge", error.ErrorId);
        }

        [Fact]
        public async Task EndlessHeaderStopsAtTheHeaderCap()
        {
            using var server = new LoopbackHttpServer(async (_, stream, ct) =>
            {
                await stream.WriteAsync("HTTP/1.1 200 OK\r\n"u8.ToArray(), ct);
                for (var i = 0; i < 10_000; i++)
                {
                    await stream.WriteAsync("X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"u8.ToArray(), ct);
                }
            });

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Quick, CancellationToken.None));

            Assert.Equal("UpnpResponseTooLarge", error.ErrorId);
        }

        [Fact]
        public async Task BodyThatTricklesIsCutOffByTheOverallTimeout()
        {
            using var server = new LoopbackHttpServer(async (_, stream, ct) =>
            {
                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"u8.ToArray(), ct);
                for (var i = 0; i < 1000; i++)
                {
                    await stream.WriteAsync("a"u8.ToArray(), ct);
                    await stream.FlushAsync(ct);
                    await Task.Delay(100, ct);
                }
            });

            var limits = new HttpLimits(TimeSpan.FromMilliseconds(500), 64 * 1024);
            var error = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, limits, CancellationToken.None));

            Assert.Equal("UpnpTimeout", error.ErrorId);
            Assert.Equal(UpnpErrorCategory.OperationTimeout, error.Category);
        }

        [Fact]
        public async Task ConnectionClosedMidBodyIsReportedAsIncomplete()
        {
            using var server = LoopbackHttpServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<partial");

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Quick, CancellationToken.None));

            Assert.Equal("UpnpIncompleteResponse", error.ErrorId);
            Assert.Contains("8 of 100", error.Message);
        }

        [Fact]
        public async Task ConnectionClosedWithoutAnswerIsReportedAsIncomplete()
        {
            using var server = new LoopbackHttpServer((_, _, _) => Task.CompletedTask);

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Quick, CancellationToken.None));

            Assert.Equal("UpnpIncompleteResponse", error.ErrorId);
            Assert.Contains("no answer", error.Message);
        }

        [Fact]
        public async Task RefusedConnectionHasItsOwnError()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                HttpExchange.SendAsync("GET", new Uri($"http://127.0.0.1:{port}/"), NoHeaders, null, Quick, CancellationToken.None));

            Assert.Equal("UpnpConnectionRefused", error.ErrorId);
            Assert.NotNull(error.RecommendedAction);
        }

        [Fact]
        public async Task RedirectIsReturnedToTheCallerNotFollowed()
        {
            using var other = LoopbackHttpServer.Answering(LoopbackHttpServer.Response(200, "OK", "text/plain", "secret"u8.ToArray()));
            using var server = LoopbackHttpServer.Answering(
                $"HTTP/1.1 302 Found\r\nLocation: {other.Url("/elsewhere")}\r\nContent-Length: 0\r\n\r\n");

            var response = await HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Quick, CancellationToken.None);

            Assert.Equal(302, response.StatusCode);
            Assert.Empty(other.Requests);
        }

        [Fact]
        public async Task CancellationStopsASilentExchangeAtOnceWithOperationCanceled()
        {
            using var server = new LoopbackHttpServer((_, _, ct) => Task.Delay(Timeout.Infinite, ct));
            using var cts = new CancellationTokenSource();
            var limits = new HttpLimits(TimeSpan.FromMinutes(5), 1024);

            var exchange = HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, limits, cts.Token);
            await WaitUntil(() => !server.Requests.IsEmpty);
            cts.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => exchange).WaitAsync(TimeSpan.FromSeconds(10));
        }

        [Fact]
        public async Task GarbageInsteadOfHttpIsAMalformedAnswer()
        {
            using var server = LoopbackHttpServer.Answering("SSH-2.0-OpenSSH_9.2\r\n\r\n");

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Quick, CancellationToken.None));

            Assert.Equal("UpnpMalformedHttp", error.ErrorId);
        }

        [Fact]
        public async Task TwoDifferentContentLengthsAreAMalformedAnswer()
        {
            using var server = LoopbackHttpServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc");

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Quick, CancellationToken.None));

            Assert.Equal("UpnpMalformedHttp", error.ErrorId);
        }

        [Fact]
        public async Task HeaderValueWithLineBreakIsRefusedBeforeAnythingIsSent()
        {
            using var server = LoopbackHttpServer.Answering("HTTP/1.1 200 OK\r\n\r\n");
            var headers = new[] { new KeyValuePair<string, string>("SOAPAction", "a\r\nX-Injected: 1") };

            await Assert.ThrowsAsync<ArgumentException>(() =>
                HttpExchange.SendAsync("GET", server.Url(), headers, null, Quick, CancellationToken.None));

            Assert.Empty(server.Requests);
        }

        [Fact]
        public async Task NonHttpSchemeIsRefusedWithAClearError()
        {
            var error = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                HttpExchange.SendAsync("GET", new Uri("file:///etc/passwd"), NoHeaders, null, Quick, CancellationToken.None));

            Assert.Equal("UpnpUnsupportedUrlScheme", error.ErrorId);
        }

        [Fact]
        public void ParseReadsACompleteCaptureWithLfOnlyLineEndsAndFoldedHeader()
        {
            var raw = "HTTP/1.1 200 OK\nServer: a\n  b\nContent-Length: 3\n\nabc"u8.ToArray();

            var response = HttpResponseReader.Parse(raw, new Uri("http://192.0.2.1/"), Quick);

            Assert.Equal("a b", response.GetHeader("SERVER"));
            Assert.Equal("abc", Encoding.ASCII.GetString(response.Body));
        }

        private static async Task WaitUntil(Func<bool> condition)
        {
            for (var i = 0; i < 500 && !condition(); i++)
            {
                await Task.Delay(10);
            }

            Assert.True(condition());
        }
    }
}
