using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using PSUpnp.HelpCompiler.Parsing;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.HelpCompiler
{
    /// <summary>A page that breaks the schema stops the compiler with the file, the line and what is wrong.</summary>
    public sealed class MalformedPageTests
    {
        /// <summary>Each case changes one thing of the minimal page; the error must point at the line of <c>at</c> in the changed page.</summary>
        [Theory]
        [InlineData("Position: 0", "Position: first", "Position: first", "Position of -Name is 'first'")]
        [InlineData("Required: True", "Required: yes", "Required: yes", "Required of -Name is 'yes': write True or False")]
        [InlineData("Required: True", "Requird: True", "Requird: True", "'Requird: True' in a parameter's yaml block")]
        [InlineData("True (ByPropertyName)", "Yes", "Accept pipeline input: Yes", "Accept pipeline input of -Name is 'Yes'")]
        [InlineData("## NOTES", "## REMARKS", "## REMARKS", "unknown section '## REMARKS'")]
        [InlineData("## SYNOPSIS\nGets a thing.\n", "", "# Get-Thing", "no '## SYNOPSIS' section")]
        [InlineData("```powershell\nPS C:\\> Get-Thing a\n```\n", "", "### Example 1", "has no code block")]
        [InlineData("[-Force] [<C", "[-Forse] [<C", "Get-Thing [-Name]", "names -Forse, which has no '### -Forse'")]
        [InlineData("[-Force] [<C", "[-Force] {oops} [<C", "Get-Thing [-Name]", "cannot read '{oops} [<CommonParameters>]'")]
        [InlineData("### -Force", "### Force", "### Force", "a parameter's heading is '### -Name'")]
        [InlineData("Forces it.\n\n```yaml", "Forces it.\n\n```text", "### -Force", "-Force has no ```yaml block")]
        [InlineData("[Get-Other]()", "Get-Other", "Get-Other", "one link per paragraph")]
        [InlineData("### System.String\n", "", "A name.", "text directly under '## INPUTS'")]
        [InlineData("# Get-Thing", "# Get-Other", "# Get-Other", "is not the page's name")]
        [InlineData("[-Name] <String>", "[-Name] <Int32>", "Get-Thing [-Name]", "shows -Name <Int32>, but its yaml block says Type: String")]
        [InlineData("[-Force] [<C", "[-Force <Int32>] [<C", "Get-Thing [-Name]", "shows -Force <Int32>, but its yaml block says Type: SwitchParameter")]
        [InlineData("### -Name\nThe name.", "### -Force\nThe name.", "## PARAMETERS", "-Force is documented twice")]
        public void AMalformedPageIsRefusedWithItsFileLineAndProblem(string find, string replace, string at, string problem)
        {
            var text = HelpPages.Minimal.Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.Contains(find, text, StringComparison.Ordinal);
            text = text.Replace(find, replace, StringComparison.Ordinal);

            var error = Assert.Throws<HelpFormatException>(() => CommandPageParser.Parse("docs/help/Get-Thing.md", text));

            Assert.Equal("docs/help/Get-Thing.md", error.File);
            Assert.Equal(LineOf(text, at), error.Line);
            Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
            Assert.StartsWith($"docs/help/Get-Thing.md({error.Line}): error: ", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("## about_PSUpnp", "## about_Other", "## about_Other", "'## about_PSUpnp'")]
        [InlineData("# SHORT DESCRIPTION", "# SUMMARY", "# SUMMARY", "'# SHORT DESCRIPTION', then '# LONG DESCRIPTION'")]
        [InlineData("# SHORT DESCRIPTION\nOpens", "# SHORT DESCRIPTION\n- Opens", "# SHORT DESCRIPTION", "takes one paragraph")]
        public void AMalformedAboutPageIsRefusedWithItsLine(string find, string replace, string at, string problem)
        {
            var text = HelpPages.Read("about_PSUpnp.help.md").Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.Contains(find, text, StringComparison.Ordinal);
            text = text.Replace(find, replace, StringComparison.Ordinal);

            var error = Assert.Throws<HelpFormatException>(() => AboutTopicParser.Parse("about_PSUpnp.help.md", text));

            Assert.Equal(LineOf(text, at), error.Line);
            Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void TheCommandLineExitsNonZeroNamesThePageAndWritesNothing()
        {
            using var scratch = HelpPages.Scratch();
            var pages = Path.Combine(scratch.Path, "help");
            Directory.CreateDirectory(pages);
            var text = HelpPages.Minimal.Replace("Position: 0", "Position: first", StringComparison.Ordinal);
            var page = Path.Combine(pages, "Get-Thing.md");
            File.WriteAllText(page, text);
            var output = Path.Combine(scratch.Path, "en-US");

            var (exit, stdout, stderr) = RunCompiler(pages, output);

            Assert.Equal(1, exit);
            Assert.Contains($"{page}({LineOf(text, "Position: first")}): error: Position of -Name is 'first'", stderr, StringComparison.Ordinal);
            Assert.Equal(string.Empty, stdout);
            Assert.False(Directory.Exists(output));
        }

        [Fact]
        public void TheCommandLineCompilesDocsHelpAndExitsZero()
        {
            using var scratch = HelpPages.Scratch();

            var (exit, stdout, stderr) = RunCompiler(HelpPages.Directory, scratch.Path);

            Assert.True(exit == 0, stderr);
            Assert.Equal(
                new[] { "PSUpnp.dll-Help.xml", "about_PSUpnp.help.txt" },
                Directory.GetFiles(scratch.Path).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal));
            Assert.Contains("PSUpnp.dll-Help.xml", stdout, StringComparison.Ordinal);
        }

        [Fact]
        public void TheCommandLineWithoutItsTwoFoldersPrintsItsUsage()
        {
            var (exit, _, stderr) = RunCompiler(HelpPages.Directory);

            Assert.Equal(2, exit);
            Assert.Contains("usage: dotnet PSUpnp.HelpCompiler.dll <docs/help folder> <output en-US folder>", stderr, StringComparison.Ordinal);
        }

        private static int LineOf(string text, string at)
        {
            var index = text.IndexOf(at, StringComparison.Ordinal);
            Assert.True(index >= 0, $"'{at}' is not in the page");
            return text.Take(index).Count(c => c == '\n') + 1;
        }

        /// <summary>The compiler as build.ps1 and the build run it: dotnet build/PSUpnp.HelpCompiler/bin/&lt;Configuration&gt;/net10.0/PSUpnp.HelpCompiler.dll.</summary>
        private static (int Exit, string Stdout, string Stderr) RunCompiler(params string[] args)
        {
            var configuration = typeof(global::PSUpnp.HelpCompiler.Compiler).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            var compiler = RepoPaths.Combine("build", "PSUpnp.HelpCompiler", "bin", configuration, "net10.0", "PSUpnp.HelpCompiler.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(compiler);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.Result);
        }
    }
}
