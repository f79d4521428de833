using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Lab;
using Xunit;

namespace PSUpnp.Tests.Lab
{
    /// <summary>
    /// Labs that do not destroy each other (issue 9, item 8): a lab belongs to the run that brought it up. Each test
    /// brings up a lab of its own under a prefix of its own, owned by a process it starts (a stand-in for another run),
    /// beside the suite's lab.
    /// </summary>
    [Collection(LabCollection.Name)]
    [Trait("Category", "Lab")]
    public sealed class LabOwnershipTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

        private readonly LabEnvironment env;

        public LabOwnershipTests(LabFixture fixture)
        {
            env = fixture.Environment;
        }

        /// <summary>
        /// 'up' on a prefix already up, and 'down' by a caller that is not the live owner (it names itself, in
        /// PSUPNP_LAB_OWNER, as another live run: this test host), both fail and leave the owner's lab working.
        /// </summary>
        [Theory]
        [InlineData("up", "is in use by the run with pid ")]
        [InlineData("down", "belongs to the running process ")]
        public async Task ACommandFromARunThatDoesNotOwnTheLabFailsAndLeavesItWorking(string command, string refusal)
        {
            await using var lab = await OwnedLab.UpAsync(env, command.Substring(0, 1));

            var result = await lab.RunAsync(OwnerOfThisTest, command);

            Assert.False(result.Succeeded, "'" + command + "' by a run that does not own " + lab.Prefix + " succeeded:\n" + result.StandardError);
            Assert.Contains(refusal + lab.Owner.Id, result.StandardError, StringComparison.Ordinal);
            await lab.AssertWorkingAsync();
        }

        [Fact]
        public async Task ALabWhoseOwnerDiedIsReapedByReap()
        {
            await using var lab = await OwnedLab.UpAsync(env, "r");
            lab.Owner.Kill();
            await lab.Owner.WaitForExitAsync();

            var reap = await lab.RunAsync(OwnerOfThisTest, "reap");

            Assert.True(reap.Succeeded, reap.StandardError);
            Assert.Contains("reaping the lab " + lab.Prefix, reap.StandardError, StringComparison.Ordinal);
            Assert.Empty(lab.NamespacesLeft());
            Assert.False(Directory.Exists(lab.Environment.StateDirectory), lab.Environment.StateDirectory + " is still there");
        }

        private static string OwnerOfThisTest => Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

        /// <summary>A lab under "pso" + this host's pid + a letter, owned by a <c>sleep</c> that stands for another run.</summary>
        private sealed class OwnedLab : IAsyncDisposable
        {
            private OwnedLab(LabEnvironment environment, Process owner)
            {
                Environment = environment;
                Owner = owner;
            }

            public LabEnvironment Environment { get; }

            public Process Owner { get; }

            public string Prefix => Environment.Prefix;

            public static async Task<OwnedLab> UpAsync(LabEnvironment suite, string letter)
            {
                var prefix = "pso" + System.Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + letter;
                var owner = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })
                    ?? throw new InvalidOperationException("could not start the stand-in owner (sleep)");
                var lab = new OwnedLab(LabEnvironment.Load(suite.LabDirectory, prefix), owner);
                var up = await lab.RunAsync(owner.Id.ToString(CultureInfo.InvariantCulture), "up");
                if (!up.Succeeded)
                {
                    await lab.DisposeAsync();
                    Assert.Fail("lab.sh up for " + prefix + " failed:\n" + up.StandardError);
                }

                return lab;
            }

            /// <summary>lab.sh for this prefix, as the run whose pid is <paramref name="ownerPid"/> calls it.</summary>
            public Task<CommandResult> RunAsync(string ownerPid, params string[] arguments)
            {
                var all = new List<string> { Environment.LabScript };
                all.AddRange(arguments);
                var variables = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [LabEnvironment.PrefixVariable] = Prefix,
                    ["PSUPNP_LAB_OWNER"] = ownerPid,
                };
                return ProcessRunner.RunAsync("bash", all, variables, Bound, CancellationToken.None);
            }

            /// <summary>Namespaces, daemons, and miniupnpd answering a client in the lab's own LAN.</summary>
            public async Task AssertWorkingAsync()
            {
                var status = await RunAsync(OwnerOfThisTest, "status");
                Assert.True(status.Succeeded, "the lab " + Prefix + " is no longer whole:\n" + status.StandardOutput + status.StandardError);
                var upnpc = await ProcessRunner.RunAsync(
                    "ip",
                    new[] { "netns", "exec", Environment.LanNamespace, "upnpc", "-u", Environment.RootDescriptionUrl.ToString(), "-s" },
                    new Dictionary<string, string>(),
                    Bound,
                    CancellationToken.None);
                Assert.Contains("ExternalIPAddress = " + Environment.RouterWanAddress, upnpc.StandardOutput, StringComparison.Ordinal);
            }

            public IReadOnlyList<string> NamespacesLeft()
            {
                var left = new List<string>();
                foreach (var ns in new[] { Environment.LanNamespace, Environment.Lan2Namespace, Environment.RouterNamespace, Environment.WanNamespace })
                {
                    if (File.Exists(Path.Combine("/var/run/netns", ns)))
                    {
                        left.Add(ns);
                    }
                }

                return left;
            }

            public async ValueTask DisposeAsync()
            {
                // Taken down as its owner would, then the owner ends; a dead owner's lab may be taken down by anyone.
                var owner = Owner.HasExited ? OwnerOfThisTest : Owner.Id.ToString(CultureInfo.InvariantCulture);
                await RunAsync(owner, "down");
                if (!Owner.HasExited)
                {
                    Owner.Kill();
                    await Owner.WaitForExitAsync();
                }

                Owner.Dispose();
            }
        }
    }
}
