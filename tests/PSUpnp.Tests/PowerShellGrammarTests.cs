using System.Linq;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Grammar
{
    public sealed class PowerShellGrammarTests
    {
        [Fact]
        public void EveryPowerShellFileInTheRepositoryParsesWithoutSyntaxErrors()
        {
            var files = PowerShellFiles.All();
            Assert.Contains("build.ps1", files);
            Assert.Contains("module/PSUpnp.psd1", files);

            var parsed = NodeGrammar.ParseFiles(files.Select(f => RepoPaths.Combine(f)).ToList());
            Assert.Equal(files.Count, parsed.Count);
            var problems = files
                .SelectMany(f => parsed[RepoPaths.Combine(f)].Select(e => $"{f}:{e.Line}:{e.Column}: {e.Kind} near '{e.Text}'"))
                .ToList();
            Assert.True(problems.Count == 0, "PowerShell syntax errors:\n" + string.Join("\n", problems));
        }

        [Fact]
        public void AMissingClosingBraceIsReportedWithItsLineAndColumn()
        {
            var errors = NodeGrammar.ParseText("broken.ps1", "function Test-It {\n    if ($true) {\n        'x'\n}\n");

            var error = Assert.Single(errors);
            Assert.Equal("MISSING", error.Kind);
            Assert.Equal(4, error.Line);
        }

        [Fact]
        public void UnparsableTextIsReportedAsAnErrorNode()
        {
            var errors = NodeGrammar.ParseText("broken.psd1", "@{ Key = 'value' ) }\n");

            Assert.NotEmpty(errors);
            Assert.Equal(1, errors[0].Line);
        }

        [Fact]
        public void ACorrectPipelineWithSplattingAndAHereStringParsesCleanly()
        {
            const string Script = "$p = @{ ExternalPort = 8080; Protocol = 'Both' }\n"
                + "Find-UpnpGateway -TimeoutSec 2 | Add-UpnpPortMapping @p -WhatIf\n"
                + "$text = @'\nnot { code\n'@\n";

            Assert.Empty(NodeGrammar.ParseText("good.ps1", Script));
        }

        [Fact]
        public void ADataFileIsReadAsItsHashtable()
        {
            using var data = NodeGrammar.ReadDataFile(RepoPaths.Combine("module", "PSUpnp.psd1"));

            Assert.Equal("PSUpnp.dll", data.RootElement.GetProperty("RootModule").GetString());
            Assert.Equal(0, data.RootElement.GetProperty("FunctionsToExport").GetArrayLength());
        }
    }
}
