using System.IO;
using Xunit;

namespace PSUpnp.Tests.HelpCompiler
{
    public sealed class CompilerTests
    {
        [Fact]
        public void HelpThatNoPageMakesAnyMoreIsRemovedAndOtherFilesStay()
        {
            using var scratch = HelpPages.Scratch();
            var stale = scratch.Write("about_Removed.help.txt", "TOPIC");
            var staleMaml = scratch.Write("Old.dll-Help.xml", "<helpItems/>");
            var other = scratch.Write("notes.txt", "kept");

            var written = global::PSUpnp.HelpCompiler.Compiler.Compile(HelpPages.Directory, scratch.Path);

            Assert.Equal(2, written.Count);
            Assert.All(written, f => Assert.True(File.Exists(f), f));
            Assert.False(File.Exists(stale));
            Assert.False(File.Exists(staleMaml));
            Assert.True(File.Exists(other));
        }
    }
}
