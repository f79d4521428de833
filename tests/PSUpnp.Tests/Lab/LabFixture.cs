using System.Threading.Tasks;
using PSUpnp.Lab;
using Xunit;

namespace PSUpnp.Tests.Lab
{
    /// <summary>
    /// The network lab, shared by every test class in the "Lab" collection (which xunit runs one test at a time, so a
    /// test may change the field mode, NAT mode or loss rate as long as it puts them back). Such a class carries
    /// [Collection(LabCollection.Name)] and [Trait("Category", "Lab")] and takes a LabFixture in its constructor.
    /// </summary>
    public sealed class LabFixture : IAsyncLifetime
    {
        public const string NotInLabMessage =
            "run tests via bash tests/run; the lab is not up or this process is not in the lab namespace";

        public LabFixture()
        {
            Environment = LabEnvironment.Load();
            Controller = new LabController(Environment);
        }

        public LabEnvironment Environment { get; }

        public LabController Controller { get; }

        public async Task InitializeAsync()
        {
            Assert.True(
                Environment.IsCurrentProcessInLan(),
                NotInLabMessage + " (expected " + Environment.LanAddress + " on a local interface of namespace " + Environment.LanNamespace + ").");

            // Whatever an earlier run or a person left behind, every test starts from the default router.
            await Controller.ResetToDefaultsAsync().ConfigureAwait(false);
        }

        public Task DisposeAsync() =>
            Environment.IsCurrentProcessInLan() ? Controller.ResetToDefaultsAsync() : Task.CompletedTask;
    }

    /// <summary>
    /// Lab tests run one at a time and alone, after the parallel collections: their loss, NAT and load figures then
    /// depend on the lab, not on what else the machine is doing, and a process-wide check such as the load test's
    /// count of unobserved task exceptions sees only the lab test's own work.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class LabCollection : ICollectionFixture<LabFixture>
    {
        public const string Name = "Lab";
    }
}
