using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.HelpCompiler
{
    /// <summary>The help in the module folder that dotnet build assembled is what the compiler makes of docs/help now.</summary>
    public sealed class BuiltHelpTests
    {
        [Fact]
        public void TheModuleFolderHoldsTheHelpCompiledFromTheCurrentPages()
        {
            using var scratch = HelpPages.Scratch();
            global::PSUpnp.HelpCompiler.Compiler.Compile(HelpPages.Directory, scratch.Path);
            var version = XDocument.Load(RepoPaths.Combine("Directory.Build.props")).Descendants("Version").Single().Value.Trim();
            var built = RepoPaths.Combine("out", "PSUpnp", version, "en-US");

            var names = new[] { "PSUpnp.dll-Help.xml", "about_PSUpnp.help.txt" };
            Assert.Equal(names, Directory.GetFiles(built).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal));
            foreach (var name in names)
            {
                Assert.True(
                    File.ReadAllBytes(Path.Combine(scratch.Path, name)).SequenceEqual(File.ReadAllBytes(Path.Combine(built, name))),
                    $"{built}/{name} is stale: dotnet build src/PSUpnp compiles it again from docs/help.");
            }
        }
    }
}
