using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Lab;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Lab
{
    /// <summary>
    /// tests/Lab/demo is what README sends a newcomer to: it must keep working. It runs the real cmdlets in pwsh, in a
    /// lab of its own (a prefix of this test run's own, beside the suite's), so it also shows that a lab comes up and
    /// goes away again from inside a test run.
    /// </summary>
    [Collection(LabCollection.Name)]
    [Trait("Category", "Lab")]
    public sealed class DemoLabTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromMinutes(4);

        [Fact]
        public async Task TheDemosCmdletsOpenAPortThatAConnectionFromTheInternetCrossesThenCloseItAndItsLabGoesDown()
        {
            // This test host's pid: no other live run can hold the same prefix.
            var prefix = "psd" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var env = LabEnvironment.Load();

            // The demo runs the builds this test host was built with (bin/<configuration>/<framework>/).
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [LabEnvironment.PrefixVariable] = prefix,
                ["DEMO_SKIP_BUILD"] = "1",
                ["CONFIGURATION"] = configuration,
            };

            var run = await ProcessRunner.RunAsync("bash", new[] { RepoPaths.Combine("tests", "Lab", "demo") }, environment, Bound, CancellationToken.None);
            var output = run.StandardOutput + "\n--- stderr ---\n" + run.StandardError;

            Assert.True(run.Succeeded, "the demo exited " + run.ExitCode + ":\n" + output);

            // -WhatIf said what it would do; the real add then showed in Get-UpnpPortMapping's table.
            Assert.Contains("What if: Performing the operation \"Add port mapping\" on target \"TCP 8080 -> " + env.LanAddress + ":8080", output, StringComparison.Ordinal);
            var closing = output.IndexOf("== Close it again", StringComparison.Ordinal);
            Assert.True(closing > 0, "the demo never reached its closing step:\n" + output);
            var listing = output.Substring(output.IndexOf("PS> Get-UpnpPortMapping\n", StringComparison.Ordinal));
            Assert.Matches(new Regex(@"^TCP\s+8080\s+" + Regex.Escape(env.LanAddress.ToString()) + @"\s+8080\s.*\bdemo\b", RegexOptions.Multiline), listing.Substring(0, listing.IndexOf("==", StringComparison.Ordinal)));

            // The internet host's connection reached the listener on the PC, from the internet host's address.
            Assert.Contains("accepted from " + env.WanAddress1 + ":", output, StringComparison.Ordinal);
            Assert.Contains("the connection from the internet reached the listener on the PC through the mapping", output, StringComparison.Ordinal);

            // After the router's restart the renewal re-created the mapping and warned; after the removal nothing is left.
            Assert.Matches(new Regex(@"^WARNING: .*TCP 8080 .*created again", RegexOptions.Multiline), output);
            Assert.Contains("mappings left: 0", output.Substring(closing), StringComparison.Ordinal);

            var namespaces = await ProcessRunner.RunAsync("ip", new[] { "netns", "list" }, new Dictionary<string, string>(), TimeSpan.FromSeconds(10), CancellationToken.None);
            Assert.DoesNotContain(namespaces.StandardOutput.Split('\n'), line => line.StartsWith(prefix + "-", StringComparison.Ordinal));
        }
    }
}
