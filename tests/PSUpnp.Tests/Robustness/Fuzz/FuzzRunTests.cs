using System;
using System.Text;
using System.Threading;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace PSUpnp.Tests.Fuzz
{
    /// <summary>The fuzz harness itself: it must fail on what it exists to catch, or its passes mean nothing.</summary>
    [Collection(FuzzCollection.Name)]
    [Trait("Category", "Fuzz")]
    public sealed class FuzzRunTests
    {
        private static readonly byte[][] Seeds = { Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nST: x\r\n\r\n") };
        private readonly ITestOutputHelper _output;

        public FuzzRunTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void AnExceptionThatIsNotTheEnginesOwnFailsTheRunAndShowsTheInputAsHex()
        {
            var error = Assert.Throws<FailException>(() => FuzzRun.Run("harness", Seeds, Array.Empty<byte[]>(), input =>
            {
                if (input.Length > 3 && input[3] == (byte)'P')
                {
                    throw new UpnpException(UpnpErrors.MalformedSsdp, "refused");
                }

                if (input.Length < 5)
                {
                    throw new IndexOutOfRangeException("a parser bug");
                }
            }, _output));

            Assert.Contains("IndexOutOfRangeException", error.Message, StringComparison.Ordinal);
            Assert.Matches("input: [0-9a-f]{0,8}$", error.Message);
        }

        [Fact]
        public void AParseThatAllocatesFarMoreThanItsInputFailsTheRun()
        {
            var error = Assert.Throws<FailException>(() => FuzzRun.Run("harness", Seeds, Array.Empty<byte[]>(), input =>
            {
                GC.KeepAlive(new byte[input.Length == 0 ? 8 * 1024 * 1024 : 1]);
                if (input.Length % 2 == 0)
                {
                    throw new UpnpException(UpnpErrors.MalformedSsdp, "refused");
                }
            }, _output));

            Assert.Contains("allocated", error.Message, StringComparison.Ordinal);
            Assert.Contains("input: ", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AParseThatNeverReturnsFailsTheRunAtTheWatchdog()
        {
            using var release = new ManualResetEventSlim();
            try
            {
                var error = Assert.Throws<FailException>(() => FuzzRun.Run("harness", Seeds, Array.Empty<byte[]>(), input =>
                {
                    if (input.Length == 7)
                    {
                        release.Wait();
                    }
                }, _output, TimeSpan.FromSeconds(2)));

                Assert.Contains("did not finish", error.Message, StringComparison.Ordinal);
                Assert.Matches(": [0-9a-f]{14}$", error.Message);
            }
            finally
            {
                release.Set();
            }
        }

        [Fact]
        public void TheSameSeedGivesTheSameInputsAndEachParserItsOwn()
        {
            var a = new Mutator(FuzzRun.SeedFor("SSDP"), Seeds, Array.Empty<byte[]>());
            var b = new Mutator(FuzzRun.SeedFor("SSDP"), Seeds, Array.Empty<byte[]>());
            for (var i = 0; i < 1000; i++)
            {
                Assert.Equal(a.Next(), b.Next());
            }

            Assert.NotEqual(FuzzRun.SeedFor("SSDP"), FuzzRun.SeedFor("STUN"));
        }
    }
}
