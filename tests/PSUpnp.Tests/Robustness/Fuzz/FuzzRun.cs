using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using PSUpnp.Tests.Reliability;
using Xunit;
using Xunit.Abstractions;

namespace PSUpnp.Tests.Fuzz
{
    /// <summary>
    /// Drives one parser with mutated and random inputs from the shared <see cref="Mutator"/>. Every input must end in a
    /// result or the engine's own error (UpnpException or a subclass); anything else fails the test and prints the input
    /// as hex. Time is bounded by a watchdog over the whole batch (a hang fails with the input it hangs on), memory by
    /// what each single parse may allocate. The seed is fixed so that failures reproduce; PSUPNP_FUZZ_SEED changes it,
    /// PSUPNP_FUZZ_INPUTS raises the count.
    /// </summary>
    internal static class FuzzRun
    {
        public const string SeedVariable = "PSUPNP_FUZZ_SEED";
        public const string InputsVariable = "PSUPNP_FUZZ_INPUTS";
        public const int DefaultSeed = 20261121;
        public const int MinimumInputs = 100_000;

        // A bound that only a hung parser meets; on a loaded 2-core CI machine a batch takes seconds.
        private static readonly TimeSpan Watchdog = TimeSpan.FromMinutes(5);

        public static int BaseSeed =>
            int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;

        public static int Inputs =>
            int.TryParse(Environment.GetEnvironmentVariable(InputsVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var inputs) && inputs > MinimumInputs
                ? inputs
                : MinimumInputs;

        /// <summary>The base seed mixed with the parser's name (FNV-1a), so each parser gets its own reproducible sequence.</summary>
        public static int SeedFor(string parser)
        {
            var hash = 2166136261u;
            foreach (var c in parser)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return BaseSeed ^ (int)hash;
        }

        /// <summary>What one parse may allocate: its fixed costs (an XmlReader's buffers) plus a small multiple of the input.</summary>
        public static long AllocationBound(int inputLength) => (1024L * 1024) + (64L * inputLength);

        public static void Run(string parser, IReadOnlyList<byte[]> seeds, IEnumerable<byte[]> tokens, Action<byte[]> parse, ITestOutputHelper output, TimeSpan? watchdog = null)
        {
            Assert.NotEmpty(seeds);
            var seed = SeedFor(parser);
            var inputs = Inputs;
            var mutator = new Mutator(seed, seeds, tokens);
            var state = new BatchState();

            // The batch runs on its own thread, so that the watchdog can give up on it if one input never returns.
            var thread = new Thread(() => RunBatch(mutator, inputs, parse, state)) { IsBackground = true, Name = "fuzz " + parser };
            thread.Start();
            var bound = watchdog ?? Watchdog;
            if (!thread.Join(bound))
            {
                var stuck = Volatile.Read(ref state.Current);
                Assert.Fail(parser + ": input " + (state.Tried + 1) + " did not finish within " + bound.TotalSeconds + " s (seed " + seed + "): " + Hex(stuck));
            }

            if (state.Failure != null)
            {
                Assert.Fail(parser + ": input " + state.Tried + " (seed " + seed + ") " + state.Failure + "\ninput: " + Hex(state.FailedInput!));
            }

            Assert.Equal(inputs, state.Tried);
            Assert.True(state.Parsed > 0 && state.Refused > 0, parser + ": the inputs must reach both a result and a refusal");
            Figures.Report(output, "fuzz " + parser, string.Format(
                CultureInfo.InvariantCulture,
                "{0} mutated and random inputs (seed {1}, {2} seed messages): {3} parsed, {4} refused with the engine's own error, none with another exception; at most {5:0.0} KB allocated for one input",
                state.Tried,
                seed,
                seeds.Count,
                state.Parsed,
                state.Refused,
                state.MostAllocated / 1024.0));
        }

        private static void RunBatch(Mutator mutator, int inputs, Action<byte[]> parse, BatchState state)
        {
            for (var i = 0; i < inputs; i++)
            {
                var input = mutator.Next();
                Volatile.Write(ref state.Current, input);
                var before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    parse(input);
                    state.Parsed++;
                }
                catch (UpnpException)
                {
                    state.Refused++;
                }
                catch (Exception e)
                {
                    state.Tried = i + 1;
                    state.Failure = "threw " + e;
                    state.FailedInput = input;
                    return;
                }

                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                state.MostAllocated = Math.Max(state.MostAllocated, allocated);
                state.Tried = i + 1;
                if (allocated > AllocationBound(input.Length))
                {
                    state.Failure = "allocated " + allocated + " bytes for " + input.Length + " bytes of input (bound " + AllocationBound(input.Length) + ")";
                    state.FailedInput = input;
                    return;
                }
            }
        }

        private static string Hex(byte[]? input)
        {
            if (input == null)
            {
                return "(none)";
            }

            var sb = new StringBuilder(input.Length * 2);
            foreach (var b in input)
            {
                sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }

            return sb.ToString();
        }

        // Written by the batch thread, read after it has been joined (or by the watchdog, for Current only).
        private sealed class BatchState
        {
            public byte[]? Current;
            public int Tried;
            public int Parsed;
            public int Refused;
            public long MostAllocated;
            public string? Failure;
            public byte[]? FailedInput;
        }
    }
}
