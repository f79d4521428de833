using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Tests.Fakes;
using Xunit;

namespace PSUpnp.Tests.Reliability
{
    /// <summary>
    /// Things a hostile device may point the engine at, each of which tells afterwards whether it was touched: a
    /// loopback HTTP server that records every connection, and a named pipe (FIFO) whose opening for reading is seen
    /// by a writer blocked on it. <see cref="AssertUntouched"/> then proves both can detect a touch, by touching them.
    /// </summary>
    internal sealed class Canary : IDisposable
    {
        private readonly LoopbackHttpServer _http;
        private readonly string _directory;
        private readonly Task _writer;
        private int _fifoOpened;

        /// <param name="address">The loopback address the HTTP canary listens on; 127.0.0.1 when not given.</param>
        public Canary(System.Net.IPAddress? address = null)
        {
            _http = LoopbackHttpServer.Answering(LoopbackHttpServer.Response(200, "OK", "text/plain", "<!ENTITY leaked \"secret\">"u8.ToArray()), address);
            _directory = Path.Combine(Path.GetTempPath(), "psupnp-canary-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_directory);
            FilePath = Path.Combine(_directory, "secret");
            using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", FilePath) { UseShellExecute = false })!)
            {
                Assert.True(mkfifo.WaitForExit(10_000), "mkfifo hung");
                Assert.Equal(0, mkfifo.ExitCode);
            }

            // Opening a FIFO to write blocks until someone opens it to read: that someone is what the canary detects.
            _writer = Task.Factory.StartNew(
                () =>
                {
                    using var fifo = new FileStream(FilePath, FileMode.Open, FileAccess.Write);
                    Interlocked.Exchange(ref _fifoOpened, 1);
                    fifo.Write("secret"u8);
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        public Uri Url => _http.Url("/secret.dtd");

        public string FilePath { get; }

        public Uri FileUrl => new Uri(FilePath);

        /// <summary>Neither the HTTP server nor the file was touched; then proves the canaries work by touching both.</summary>
        public async Task AssertUntouched()
        {
            // Give a stray fetch that might still be on its way the time to arrive.
            await Task.Delay(200);
            Assert.True(_http.Requests.IsEmpty, "the hostile document made the engine contact " + Url);
            Assert.Equal(0, Volatile.Read(ref _fifoOpened));

            using (var client = new System.Net.Sockets.TcpClient())
            {
                await client.ConnectAsync(Url.Host, Url.Port);
                await client.GetStream().WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
                for (var i = 0; i < 500 && _http.Requests.IsEmpty; i++)
                {
                    await Task.Delay(10);
                }
            }

            Assert.False(_http.Requests.IsEmpty, "the HTTP canary did not see our own request");
            using (var reader = new FileStream(FilePath, FileMode.Open, FileAccess.Read))
            {
                await _writer.WaitAsync(TimeSpan.FromSeconds(10));
            }

            Assert.Equal(1, Volatile.Read(ref _fifoOpened));
        }

        public void Dispose()
        {
            _http.Dispose();
            if (!_writer.IsCompleted)
            {
                // Unblock the writer so its thread ends; the test has failed or not checked.
                try
                {
                    using var reader = new FileStream(FilePath, FileMode.Open, FileAccess.Read);
                    _writer.Wait(TimeSpan.FromSeconds(5));
                }
                catch (IOException)
                {
                }
            }

            Directory.Delete(_directory, true);
        }
    }
}
