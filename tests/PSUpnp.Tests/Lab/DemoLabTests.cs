using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Lab;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Lab
{
    /// <summary>
    /// tests/Lab/demo is what README sends a newcomer to: it must keep working. It builds a lab of its own (another
    /// prefix, beside the suite's), so it also shows that a lab comes up and goes away again from inside a test run.
    /// </summary>
    [Collection(LabCollection.Name)]
    [Trait("Category", "Lab")]
    public sealed class DemoLabTests
    {
        private const string Prefix = "psdemo";
        private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

        [Fact]
        public async Task TheDemoOpensAPortThatAConnectionFromTheInternetCrossesThenClosesItAndTakesItsLabDown()
        {
            // The demo runs the builds this test host was built with (bin/<configuration>/<framework>/).
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [LabEnvironment.PrefixVariable] = Prefix,
                ["DEMO_SKIP_BUILD"] = "1",
                ["CONFIGURATION"] = configuration,
            };

            var run = await ProcessRunner.RunAsync("bash", new[] { RepoPaths.Combine("tests", "Lab", "demo") }, environment, Bound, CancellationToken.None);
            var output = run.StandardOutput + "\n--- stderr ---\n" + run.StandardError;

            Assert.True(run.Succeeded, "the demo exited " + run.ExitCode + ":\n" + output);
            Assert.Contains("the connection from the internet reached the listener on the PC through the mapping", run.StandardOutput, StringComparison.Ordinal);

            // Listed while open, gone after the removal: the last listing is empty.
            var left = run.StandardOutput.Substring(run.StandardOutput.LastIndexOf("mappings left:", StringComparison.Ordinal));
            Assert.Contains("\"Description\":\"demo\"", run.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("\"ExternalPort\"", left, StringComparison.Ordinal);

            var namespaces = await ProcessRunner.RunAsync("ip", new[] { "netns", "list" }, new Dictionary<string, string>(), TimeSpan.FromSeconds(10), CancellationToken.None);
            Assert.DoesNotContain(namespaces.StandardOutput.Split('\n'), line => line.StartsWith(Prefix + "-", StringComparison.Ordinal));
        }
    }
}
