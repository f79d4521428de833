using System;
using System.IO;
using System.Linq;
using PSUpnp.HelpCompiler.Model;
using PSUpnp.HelpCompiler.Parsing;
using PSUpnp.Tests.Surface;
using Xunit;

namespace PSUpnp.Tests.HelpCompiler
{
    /// <summary>
    /// Each real page of docs/help read by the compiler's parser, checked against the surface tests' own regex reader
    /// of the same page (HelpFile): two readers that agree on the title, synopsis, parameters and examples.
    /// </summary>
    public sealed class CommandPageParserTests
    {
        [Theory]
        [MemberData(nameof(HelpPages.CommandPages), MemberType = typeof(HelpPages))]
        public void EveryPageParsesIntoItsTitleSynopsisParametersAndExamples(string page)
        {
            var help = CommandPageParser.Parse(Path.Combine(HelpPages.Directory, page));
            var oracle = HelpFile.Load(Path.GetFileNameWithoutExtension(page));

            Assert.Equal(oracle.Title, help.Name);
            Assert.Equal("PSUpnp.dll-Help.xml", help.HelpFile);
            Assert.Equal(Words(oracle.Sections["SYNOPSIS"]), help.Synopsis);
            Assert.NotEmpty(help.Description);

            var documented = oracle.Parameters.Keys.Where(k => k != "CommonParameters").Select(k => k.TrimStart('-'));
            Assert.Equal(documented, help.Parameters.Select(p => p.Name));
            foreach (var parameter in help.Parameters)
            {
                var yaml = oracle.Parameters["-" + parameter.Name];
                Assert.Equal(yaml["Type"], parameter.TypeName);
                Assert.Equal(yaml["Required"], parameter.Required.ToString());
                Assert.Equal(yaml["Position"], parameter.Position);
                Assert.Equal(yaml["Accept pipeline input"], parameter.PipelineInput);
                Assert.NotEmpty(parameter.Description);
            }

            Assert.Equal(oracle.Examples.Count, help.Examples.Count);
            Assert.Equal(oracle.Examples.Select(e => e.Title), help.Examples.Select(e => e.Title));
            Assert.Equal(oracle.Examples.Select(e => e.Code.TrimEnd()), help.Examples.Select(e => e.Code));
            Assert.All(help.Syntax, s => Assert.NotEmpty(s.Parameters));
        }

        [Fact]
        public void ASyntaxLineSaysPerParameterSetWhichParametersAreRequiredAndPositional()
        {
            var help = CommandPageParser.Parse(Path.Combine(HelpPages.Directory, "Remove-UpnpPortMapping.md"));

            Assert.Equal(new[] { "ByKey", "ByMapping" }, help.Syntax.Select(s => s.ParameterSet));
            var byKey = help.Syntax[0].Parameters.ToDictionary(p => p.Name);
            Assert.Equal(new SyntaxParameter("ExternalPort", "Int32", Required: false, Positional: true), byKey["ExternalPort"]);
            Assert.Equal(new SyntaxParameter("RemoteHost", "IPAddress", Required: false, Positional: false), byKey["RemoteHost"]);
            Assert.Equal(new SyntaxParameter("PassThru", null, Required: false, Positional: false), byKey["PassThru"]);
            var byMapping = help.Syntax[1].Parameters;
            Assert.Equal(new SyntaxParameter("InputObject", "UpnpPortMapping", Required: true, Positional: false), byMapping[0]);
            Assert.DoesNotContain(byMapping, p => p.Name == "ExternalPort");
        }

        [Fact]
        public void EverySyntaxFormIsReadFromAPage()
        {
            var text = HelpPages.Minimal.Replace(
                "Get-Thing [-Name] <String> [-Force] [<CommonParameters>]",
                "Get-Thing [[-Name] <String>]\n -Force [<CommonParameters>]",
                StringComparison.Ordinal);

            var syntax = CommandPageParser.Parse("Get-Thing.md", text).Syntax.Single();

            Assert.Equal("__AllParameterSets", syntax.ParameterSet);
            Assert.Equal(
                new[] { new SyntaxParameter("Name", "String", false, true), new SyntaxParameter("Force", null, true, false) },
                syntax.Parameters);
        }

        [Fact]
        public void TheMinimalPageGivesEveryPartOfTheModel()
        {
            var help = CommandPageParser.Parse("Get-Thing.md", HelpPages.Minimal);

            var name = help.Parameters.Single(p => p.Name == "Name");
            Assert.Equal(new[] { "n" }, name.Aliases);
            Assert.True(name.Required && name.Wildcards);
            Assert.Equal("0", name.Position);
            Assert.True(help.Parameters.Single(p => p.Name == "Force").IsSwitch);
            Assert.Equal("System.String", help.Inputs.Single().Name);
            Assert.Equal(new TextBlock(TextKind.Paragraph, "A name."), help.Inputs.Single().Description.Single());
            Assert.Equal("System.Object", help.Outputs.Single().Name);
            Assert.Equal("None.", help.Notes.Single().Text);
            Assert.Equal(new RelatedLink("Get-Other", string.Empty), help.RelatedLinks.Single());
            Assert.Equal("Gets a.", help.Examples.Single().Remarks.Single().Text);
        }

        private static string Words(string text) => string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
