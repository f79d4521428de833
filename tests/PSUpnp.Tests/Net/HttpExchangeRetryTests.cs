using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;
using PSUpnp.Tests.Discovery;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Net
{
    /// <summary>HttpExchange under HttpRetryPolicy: what is resent, when, how often, and what is never resent.</summary>
    public sealed class HttpExchangeRetryTests
    {
        private static readonly KeyValuePair<string, string>[] NoHeaders = Array.Empty<KeyValuePair<string, string>>();

        // Short waits so that a resend costs the test milliseconds; the overall bound only makes a hung test fail.
        private static readonly HttpRetryPolicy Quick = new HttpRetryPolicy(TimeSpan.FromMilliseconds(100), 8, TimeSpan.FromMilliseconds(200), 3);
        private static readonly HttpLimits Limits = new HttpLimits(TimeSpan.FromSeconds(20), 64 * 1024, retry: Quick);
        private static readonly byte[] Ok = LoopbackHttpServer.Response(200, "OK", "text/xml", "<ok/>"u8.ToArray());

        [Fact]
        public async Task AConnectionClosedWithoutAnAnswerIsSentAgainAndTheAnswerSaysHowOften()
        {
            var served = 0;
            using var server = new LoopbackHttpServer(async (_, stream, ct) =>
            {
                if (Interlocked.Increment(ref served) > 1)
                {
                    await stream.WriteAsync(Ok, ct);
                }
            });
            var trace = new ListTrace();

            var response = await HttpExchange.SendAsync("POST", server.Url("/ctl"), NoHeaders, "<x/>"u8.ToArray(), Limits, trace, CancellationToken.None);

            Assert.Equal(200, response.StatusCode);
            Assert.Equal(2, response.Sends);
            Assert.Equal(2, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.Equal("<x/>", r.BodyText));
            var line = Assert.Single(trace.Lines, l => l.Contains("sending the request again", StringComparison.Ordinal));
            Assert.Contains("send 1 got", line, StringComparison.Ordinal);
            Assert.Contains("no answer at all", line, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ASilentDeviceIsAskedAgainAfterTheWaitOnANewConnectionAndTheOldOneIsClosedFirst()
        {
            var served = 0;
            var firstClosedBeforeSecond = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var firstClosed = 0;
            using var server = new LoopbackHttpServer(async (_, stream, ct) =>
            {
                if (Interlocked.Increment(ref served) == 1)
                {
                    // Say nothing; the read ends (or fails, on a reset) when the client closes this connection.
                    try
                    {
                        var sink = new byte[16];
                        while (await stream.ReadAsync(sink, ct) > 0)
                        {
                        }
                    }
                    finally
                    {
                        Volatile.Write(ref firstClosed, 1);
                    }

                    return;
                }

                // The first connection's end may still be on its way through the server's threads: give it time.
                for (var i = 0; i < 500 && Volatile.Read(ref firstClosed) == 0; i++)
                {
                    await Task.Delay(10, ct);
                }

                firstClosedBeforeSecond.TrySetResult(Volatile.Read(ref firstClosed) == 1);
                await stream.WriteAsync(Ok, ct);
            });
            var trace = new ListTrace();

            var response = await HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Limits, trace, CancellationToken.None);

            Assert.Equal(2, response.Sends);
            Assert.True(await firstClosedBeforeSecond.Task.WaitAsync(TimeSpan.FromSeconds(10)), "the silent connection must be closed before the copy is sent");
            Assert.Contains(trace.Lines, l => l.Contains("no answer for 0.2 s", StringComparison.Ordinal));
        }

        [Fact]
        public async Task AQueryIsSentAgainBesideItsSilentFirstCopyWhichStaysOpenAndMayStillWin()
        {
            var served = 0;
            var firstStillOpen = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var firstAnswered = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var server = new LoopbackHttpServer(async (_, stream, ct) =>
            {
                if (Interlocked.Increment(ref served) == 1)
                {
                    // Slow, not dead: answer once the copy has arrived, on this first connection, which must still be open.
                    await firstStillOpen.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
                    await stream.WriteAsync(Ok, ct);
                    firstAnswered.TrySetResult(true);
                    return;
                }

                firstStillOpen.TrySetResult(true);
                await firstAnswered.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            });
            var trace = new ListTrace();

            var response = await HttpExchange.SendAsync("POST", server.Url(), NoHeaders, "<q/>"u8.ToArray(), Limits.WithRetry(Quick.WithResend(HttpResend.Overlapping)), trace, CancellationToken.None);

            Assert.Equal(200, response.StatusCode);
            // At least the one copy beside the silent first; on a loaded machine the next overlap may start before the
            // first answers, which changes nothing here: every copy sent reached the device, and the first one won.
            Assert.InRange(response.Sends, 2, Quick.MaxSends);
            Assert.Equal(response.Sends, server.Requests.Count);
            Assert.True(await firstAnswered.Task.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Contains(trace.Lines, l => l.Contains("beside the earlier ones", StringComparison.Ordinal));
        }

        [Fact]
        public async Task EachSendButTheLastWaitsTheSameAndTheLastWaitsForTheOverallBound()
        {
            Assert.Equal(TimeSpan.FromMilliseconds(200), Quick.WaitBeforeResend(1));
            Assert.Equal(TimeSpan.FromMilliseconds(200), Quick.WaitBeforeResend(2));
            Assert.Equal(Timeout.InfiniteTimeSpan, Quick.WaitBeforeResend(3));
            Assert.Equal(Timeout.InfiniteTimeSpan, HttpRetryPolicy.None.WaitBeforeResend(1));

            // A device that never answers: three sends, then the overall bound, reported as a timeout that counts them.
            using var server = new LoopbackHttpServer(async (_, stream, ct) =>
            {
                var sink = new byte[16];
                while (await stream.ReadAsync(sink, ct) > 0)
                {
                }
            });
            var limits = new HttpLimits(TimeSpan.FromSeconds(2), 1024, retry: Quick);

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() => HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, limits, null, CancellationToken.None));

            Assert.Equal("UpnpTimeout", error.ErrorId);
            Assert.Contains("sent 3 times", error.Message, StringComparison.Ordinal);
            Assert.Equal(3, server.Requests.Count);
        }

        [Fact]
        public async Task ADeviceThatKeepsDroppingTheConnectionIsAskedAtMostMaxSendsTimes()
        {
            using var server = new LoopbackHttpServer((_, _, _) => Task.CompletedTask);

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() => HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Limits, null, CancellationToken.None));

            Assert.Equal("UpnpIncompleteResponse", error.ErrorId);
            Assert.Equal(Quick.MaxSends, server.Requests.Count);
        }

        [Fact]
        public async Task WithoutResendALostAnswerIsAnErrorAfterExactlyOneSend()
        {
            using var server = new LoopbackHttpServer((_, _, _) => Task.CompletedTask);

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                HttpExchange.SendAsync("POST", server.Url(), NoHeaders, "<x/>"u8.ToArray(), Limits.WithRetry(Quick.WithResend(HttpResend.Never)), null, CancellationToken.None));

            Assert.Equal("UpnpIncompleteResponse", error.ErrorId);
            Assert.Single(server.Requests);
        }

        [Theory]
        [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\n\r\n<", "UpnpResponseTooLarge")]
        [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n", "UpnpMalformedHttp")]
        public async Task WhatADeviceAnswersWronglyIsNeverAskedAgain(string answer, string errorId)
        {
            using var server = LoopbackHttpServer.Answering(answer);

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() => HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, Limits, null, CancellationToken.None));

            Assert.Equal(errorId, error.ErrorId);
            Assert.Single(server.Requests);
        }

        [Fact]
        public async Task ARefusedConnectionIsNotRetried()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var trace = new ListTrace();

            var error = await Assert.ThrowsAnyAsync<UpnpException>(() =>
                HttpExchange.SendAsync("GET", new Uri($"http://127.0.0.1:{port}/"), NoHeaders, null, Limits, trace, CancellationToken.None));

            Assert.Equal("UpnpConnectionRefused", error.ErrorId);
            Assert.Empty(trace.Lines);
        }

        [Theory]
        [InlineData(nameof(HttpResend.AfterClosing))]
        [InlineData(nameof(HttpResend.Overlapping))]
        public async Task CancellationWhileWaitingToResendStopsAtOnce(string resend)
        {
            using var server = new LoopbackHttpServer((_, _, ct) => Task.Delay(Timeout.Infinite, ct));
            using var cts = new CancellationTokenSource();
            var slow = new HttpLimits(TimeSpan.FromMinutes(5), 1024, retry: new HttpRetryPolicy(TimeSpan.FromMilliseconds(100), 8, TimeSpan.FromMinutes(1), 3).WithResend(Enum.Parse<HttpResend>(resend)));

            var exchange = HttpExchange.SendAsync("GET", server.Url(), NoHeaders, null, slow, null, cts.Token);
            for (var i = 0; i < 500 && server.Requests.IsEmpty; i++)
            {
                await Task.Delay(10);
            }

            Assert.False(server.Requests.IsEmpty);
            cts.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => exchange).WaitAsync(TimeSpan.FromSeconds(10));
        }

        [Fact]
        public async Task AConnectionAttemptThatGetsNoAnswerIsJoinedByAnotherAndTheFirstToConnectServes()
        {
            // A listener whose accept queue is full drops new SYNs silently (Linux), exactly as if they were lost.
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(0);
            var endPoint = (IPEndPoint)listener.LocalEndPoint!;
            var fillers = new List<Socket>();
            try
            {
                // Connect until one connection no longer gets through: the queue is then full.
                var full = false;
                for (var i = 0; i < 16 && !full; i++)
                {
                    var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    fillers.Add(filler);
                    var connect = filler.ConnectAsync(endPoint);

                    // The connect left pending fails when its filler is closed below: observe that, or it surfaces
                    // later as an unobserved task exception in whatever test is running then.
                    _ = connect.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    full = await Task.WhenAny(connect, Task.Delay(300)) != connect;
                }

                Assert.True(full, "the listener's accept queue never filled");

                var trace = new ListTrace();
                var connectOnly = new HttpLimits(TimeSpan.FromSeconds(20), 1024, retry: new HttpRetryPolicy(TimeSpan.FromMilliseconds(100), 8, Timeout.InfiniteTimeSpan, 1));
                var exchange = HttpExchange.SendAsync("GET", new Uri($"http://127.0.0.1:{endPoint.Port}/"), NoHeaders, null, connectOnly, trace, CancellationToken.None);

                // Once a second attempt has started, make room: the next SYN to arrive is accepted.
                for (var i = 0; i < 500 && !trace.Lines.Any(l => l.Contains("connection attempt 2", StringComparison.Ordinal)); i++)
                {
                    await Task.Delay(10);
                }

                Assert.Contains(trace.Lines, l => l.Contains("connection attempt 2", StringComparison.Ordinal));
                using var stop = new CancellationTokenSource();
                var requests = new ConcurrentQueue<string>();
                var serving = ServeAsync(listener, requests, stop.Token);

                var response = await exchange.WaitAsync(TimeSpan.FromSeconds(20));
                stop.Cancel();
                listener.Dispose();
                await serving.WaitAsync(TimeSpan.FromSeconds(20));
                Assert.Equal(200, response.StatusCode);
                Assert.Single(requests);
            }
            finally
            {
                foreach (var f in fillers)
                {
                    f.Dispose();
                }
            }
        }

        // Accepts every connection (the fillers too) and answers each one that carries a request.
        private static async Task ServeAsync(Socket listener, ConcurrentQueue<string> requests, CancellationToken stop)
        {
            var connections = new List<Task>();
            while (!stop.IsCancellationRequested)
            {
                Socket connection;
                try
                {
                    connection = await listener.AcceptAsync(stop);
                }
                catch (Exception e) when (e is OperationCanceledException || e is SocketException || e is ObjectDisposedException)
                {
                    break;
                }

                connections.Add(Task.Run(async () =>
                {
                    using (connection)
                    {
                        var buffer = new byte[4096];
                        try
                        {
                            var read = await connection.ReceiveAsync(buffer, SocketFlags.None, stop);
                            if (read > 0)
                            {
                                requests.Enqueue(Encoding.ASCII.GetString(buffer, 0, read));
                                await connection.SendAsync(Ok, SocketFlags.None, stop);
                            }
                        }
                        catch (Exception e) when (e is OperationCanceledException || e is SocketException)
                        {
                            // A filler that never sends anything, ended by the test.
                        }
                    }
                }));
            }

            await Task.WhenAll(connections);
        }
    }
}
