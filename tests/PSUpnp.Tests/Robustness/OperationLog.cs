using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Tests.Reliability
{
    /// <summary>
    /// Runs named operations, each within its own bound, and keeps every outcome: whether it succeeded, how long it took
    /// and, when it failed, the exception it threw. Nothing is swallowed: a test asserts on <see cref="Failures"/> and
    /// prints them. Safe to use from many threads.
    /// </summary>
    internal sealed class OperationLog
    {
        private readonly ConcurrentQueue<Outcome> _outcomes = new ConcurrentQueue<Outcome>();

        public IReadOnlyList<Outcome> Outcomes => _outcomes.ToArray();

        public IReadOnlyList<Outcome> Failures => _outcomes.Where(o => o.Error != null).ToArray();

        /// <summary>Runs <paramref name="action"/> with a token that fires after <paramref name="bound"/>; returns its result, or default when it failed.</summary>
        public async Task<T?> RunAsync<T>(string operation, TimeSpan bound, Func<CancellationToken, Task<T>> action)
        {
            using var cts = new CancellationTokenSource(bound);
            var watch = Stopwatch.StartNew();
            try
            {
                var result = await action(cts.Token);
                _outcomes.Enqueue(new Outcome(operation, watch.Elapsed, null));
                return result;
            }
            catch (Exception e)
            {
                _outcomes.Enqueue(new Outcome(operation, watch.Elapsed, e));
                return default;
            }
        }

        public Task RunAsync(string operation, TimeSpan bound, Func<CancellationToken, Task> action) =>
            RunAsync(operation, bound, async ct =>
            {
                await action(ct);
                return true;
            });

        public int Succeeded(string operation) => _outcomes.Count(o => o.Operation == operation && o.Error == null);

        public int Attempted(string operation) => _outcomes.Count(o => o.Operation == operation);

        /// <summary>"20/20 succeeded (median 12 ms, slowest 840 ms)".</summary>
        public string Summary(string operation)
        {
            var mine = _outcomes.Where(o => o.Operation == operation).ToList();
            return string.Format(
                CultureInfo.InvariantCulture,
                "{0}/{1} succeeded ({2})",
                mine.Count(o => o.Error == null),
                mine.Count,
                Figures.Spread(mine.Where(o => o.Error == null).Select(o => o.Duration).ToList()));
        }

        /// <summary>Every failure on its own line, for an assertion message.</summary>
        public string DescribeFailures() =>
            string.Join("\n", Failures.Select(f => f.Operation + " after " + Figures.Milliseconds(f.Duration) + ": " + f.Error!.GetType().Name + " " + f.Error.Message));

        public sealed record Outcome(string Operation, TimeSpan Duration, Exception? Error);
    }
}
