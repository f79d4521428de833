using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;

namespace PSUpnp.Bench
{
    /// <summary>
    /// In-process timing for bench/run: one cold operation (what a fresh PowerShell session sees first), then N warm
    /// ones (what a session that already used the module sees), each from the first packet to the result.
    /// </summary>
    internal static class Bench
    {
        public static async Task<int> RunAsync(Commands commands, Options options, CancellationToken ct)
        {
            if (options.Positional.Count != 1)
            {
                throw new UsageException("bench takes one scenario.");
            }

            var scenario = options.Positional[0];
            var runs = options.Int("runs") ?? 10;
            Func<Task> operation = scenario switch
            {
                "discover" or "discover-location" => () => commands.DiscoverAsync(ct),
                "external-address" => () => commands.ExternalAddressAsync(ct),
                "add-delete" => () => AddDeleteAsync(commands, options, ct),
                "list" => () => commands.ListAsync(ct),
                "nat-type" => () => commands.NatTypeAsync(ct),
                "natpmp-add-delete" => () => BothAsync(commands.NatPmpAddAsync, commands.NatPmpDeleteAsync, ct),
                "pcp-add-delete" => () => BothAsync(commands.PcpAddAsync, commands.PcpDeleteAsync, ct),
                _ => throw new UsageException($"Unknown scenario '{scenario}'."),
            };

            var cold = await TimeAsync(operation).ConfigureAwait(false);
            var warm = new List<double>(runs);
            for (var i = 0; i < runs; i++)
            {
                warm.Add(await TimeAsync(operation).ConfigureAwait(false));
            }

            Console.Out.WriteLine(JsonOutput.Line(w => JsonOutput.Timing(w, scenario, cold, warm)));
            return 0;
        }

        private static Task AddDeleteAsync(Commands commands, Options options, CancellationToken ct) =>
            BothAsync(commands.AddAsync, commands.DeleteAsync, ct);

        private static async Task BothAsync(Func<CancellationToken, Task<IReadOnlyList<string>>> add, Func<CancellationToken, Task<IReadOnlyList<string>>> delete, CancellationToken ct)
        {
            await add(ct).ConfigureAwait(false);
            await delete(ct).ConfigureAwait(false);
        }

        private static async Task<double> TimeAsync(Func<Task> operation)
        {
            var watch = Stopwatch.StartNew();
            await operation().ConfigureAwait(false);
            return watch.Elapsed.TotalMilliseconds;
        }
    }
}
