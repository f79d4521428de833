using System;
using System.Threading.Tasks;

namespace PSUpnp.Tests.CodeRules
{
    /// <summary>
    /// One of each thing the engine rules forbid, compiled into the test assembly and never run: the rule tests scan it
    /// to prove that their scan would see such code in the engine.
    /// </summary>
    internal static class RuleViolationSamples
    {
        public static async Task<int> AwaitWithoutConfigureAwait(Task<int> task) => await task;

        public static async Task<int> AwaitContinuingOnTheContext(Task<int> task) => await task.ConfigureAwait(true);

        public static int Block(Task<int> task) => task.Result;

        public static DateTime WallClock() => DateTime.Now;

        public static async void FireAndForget(Task task) => await task.ConfigureAwait(false);
    }
}
