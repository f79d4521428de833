using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using System.Xml.XPath;
using PSUpnp.HelpCompiler.Parsing;
using PSUpnp.HelpCompiler.Writing;
using PSUpnp.Tests.Surface;
using Xunit;

namespace PSUpnp.Tests.HelpCompiler
{
    /// <summary>The MAML compiled from the real docs/help, read back with XPath in the namespaces Get-Help reads.</summary>
    public sealed class MamlWriterTests
    {
        private static readonly Lazy<XDocument> Maml = new Lazy<XDocument>(() =>
            MamlWriter.ToMaml(HelpPages.CommandPages().Select(p => CommandPageParser.Parse(Path.Combine(HelpPages.Directory, (string)p[0])))));

        private static readonly XmlNamespaceManager Ns = Namespaces();

        [Fact]
        public void ThereIsOneCommandPerPageWithTheSynopsisOfItsPage()
        {
            var pages = HelpPages.CommandPages().Select(p => Path.GetFileNameWithoutExtension((string)p[0])).ToList();

            Assert.Equal(pages, Values("/msh:helpItems/command:command/command:details/command:name"));
            foreach (var page in pages)
            {
                var synopsis = Values($"{Command(page)}/command:details/maml:description/maml:para");
                Assert.Equal(new[] { Words(HelpFile.Load(page).Sections["SYNOPSIS"]) }, synopsis);
            }

            Assert.Equal(new[] { "Add" }, Values($"{Command("Add-UpnpPortMapping")}/command:details/command:verb"));
            Assert.Equal(new[] { "UpnpPortMapping" }, Values($"{Command("Add-UpnpPortMapping")}/command:details/command:noun"));
        }

        [Fact]
        public void EveryParameterCarriesItsDescriptionTypeAndBindingFromItsYamlBlock()
        {
            var page = HelpFile.Load("Add-UpnpPortMapping");
            var parameters = Elements($"{Command("Add-UpnpPortMapping")}/command:parameters/command:parameter").ToList();

            Assert.Equal(page.Parameters.Keys.Where(k => k != "CommonParameters").Select(k => k.TrimStart('-')), parameters.Select(p => Value(p, "maml:name")));
            foreach (var parameter in parameters)
            {
                var yaml = page.Parameters["-" + Value(parameter, "maml:name")];
                Assert.Equal(yaml["Required"].ToLowerInvariant(), (string?)parameter.Attribute("required"));
                Assert.Equal(yaml["Position"].ToLowerInvariant(), (string?)parameter.Attribute("position"));
                Assert.Equal(yaml["Accept pipeline input"], (string?)parameter.Attribute("pipelineInput"));
                Assert.Equal(yaml["Aliases"].Length == 0 ? "none" : yaml["Aliases"], (string?)parameter.Attribute("aliases"));
                Assert.Equal(yaml["Type"], Value(parameter, "dev:type/maml:name"));
                Assert.Equal(yaml["Default value"], Value(parameter, "dev:defaultValue"));
                var description = Words(string.Join(" ", parameter.XPathSelectElements("maml:description/maml:para", Ns).Select(p => p.Value)));
                Assert.False(string.IsNullOrEmpty(description));
                Assert.Contains(description, Words(page.Text), StringComparison.Ordinal);
            }

            // A switch takes no value: no parameterValue, so that Get-Help shows [-Force] and not [-Force <SwitchParameter>].
            var force = parameters.Single(p => Value(p, "maml:name") == "Force");
            Assert.Null(force.XPathSelectElement("command:parameterValue", Ns));
            var port = parameters.Single(p => Value(p, "maml:name") == "ExternalPort");
            Assert.Equal("Int32", Value(port, "command:parameterValue"));
        }

        [Fact]
        public void EachParameterSetIsASyntaxItemWithItsOwnRequiredAndPositionalParameters()
        {
            var items = Elements($"{Command("Remove-UpnpPortMapping")}/command:syntax/command:syntaxItem").ToList();

            Assert.Equal(2, items.Count);
            var byKey = items[0].XPathSelectElement("command:parameter[maml:name='Protocol']", Ns)!;
            Assert.Equal(("false", "1"), ((string?)byKey.Attribute("required"), (string?)byKey.Attribute("position")));
            var byMapping = items[1].XPathSelectElement("command:parameter[maml:name='InputObject']", Ns)!;
            Assert.Equal(("true", "named"), ((string?)byMapping.Attribute("required"), (string?)byMapping.Attribute("position")));
            Assert.Null(items[1].XPathSelectElement("command:parameter[maml:name='ExternalPort']", Ns));
            Assert.All(items, i => Assert.Equal("Remove-UpnpPortMapping", Value(i, "maml:name")));
        }

        [Theory]
        [MemberData(nameof(HelpPages.CommandPages), MemberType = typeof(HelpPages))]
        public void EveryExampleKeepsItsTitleCodeAndRemarks(string file)
        {
            var page = HelpFile.Load(Path.GetFileNameWithoutExtension(file));
            var examples = Elements($"{Command(page.Title)}/command:examples/command:example").ToList();

            Assert.Equal(page.Examples.Count, examples.Count);
            for (var i = 0; i < examples.Count; i++)
            {
                Assert.Equal($"--------- {page.Examples[i].Title} ---------", Value(examples[i], "maml:title"));
                Assert.Equal(page.Examples[i].Code.TrimEnd(), Value(examples[i], "dev:code"));
                var remarks = examples[i].XPathSelectElements("dev:remarks/maml:para", Ns).Select(p => Words(p.Value)).Where(r => r.Length > 0).ToList();
                Assert.NotEmpty(remarks);
                Assert.All(remarks, r => Assert.Contains(r, Words(page.Text), StringComparison.Ordinal));
            }
        }

        [Theory]
        [MemberData(nameof(HelpPages.CommandPages), MemberType = typeof(HelpPages))]
        public void InputsOutputsNotesAndLinksComeFromTheirSections(string file)
        {
            var page = HelpFile.Load(Path.GetFileNameWithoutExtension(file));
            var command = Command(page.Title);

            Assert.Equal(Headings(page.Sections["INPUTS"]), Values($"{command}/command:inputTypes/command:inputType/dev:type/maml:name"));
            Assert.Equal(Headings(page.Sections["OUTPUTS"]), Values($"{command}/command:returnValues/command:returnValue/dev:type/maml:name"));
            Assert.Equal(Words(page.Sections["NOTES"]), Words(string.Join(" ", Values($"{command}/maml:alertSet/maml:alert/maml:para"))));
            Assert.NotEmpty(Values($"{command}/command:relatedLinks/maml:navigationLink/maml:linkText"));
        }

        [Fact]
        public void ProseIsFilledTo80ColumnsAsGetHelpIndentsIt()
        {
            var paras = Elements("//command:command/maml:description/maml:para").ToList();

            Assert.NotEmpty(paras);
            var lines = paras.SelectMany(p => p.Value.Split('\n')).ToList();
            Assert.Contains(lines, l => l.Length > 60);
            Assert.All(lines, l => Assert.True(l.Length <= 76 || !l.Contains(' ', StringComparison.Ordinal), l));
        }

        [Fact]
        public void AngleBracketsAndAmpersandsInTextAndCodeAreEscapedAndReadBackUnchanged()
        {
            var text = HelpPages.Minimal
                .Replace("Gets the thing named.", "Gets <Name> & more.", StringComparison.Ordinal)
                .Replace("PS C:\\> Get-Thing a", "PS C:\\> Get-Thing 'a&b' | Where-Object { $_.Size -lt 3 } # <x>", StringComparison.Ordinal);
            var maml = MamlWriter.ToMaml(new[] { CommandPageParser.Parse("Get-Thing.md", text) });
            using var scratch = HelpPages.Scratch();
            var path = Path.Combine(scratch.Path, "Get-Thing-Help.xml");

            MamlWriter.Write(maml, path);

            var raw = File.ReadAllText(path);
            Assert.Contains("Gets &lt;Name&gt; &amp; more.", raw, StringComparison.Ordinal);
            Assert.Contains("Get-Thing 'a&amp;b' | Where-Object { $_.Size -lt 3 } # &lt;x&gt;", raw, StringComparison.Ordinal);
            var read = XDocument.Load(path);
            Assert.Equal("Gets <Name> & more.", read.XPathSelectElement("//command:command/maml:description/maml:para", Ns)!.Value);
            Assert.Equal("PS C:\\> Get-Thing 'a&b' | Where-Object { $_.Size -lt 3 } # <x>", read.XPathSelectElement("//dev:code", Ns)!.Value);
        }

        private static string Command(string name) => $"/msh:helpItems/command:command[command:details/command:name='{name}']";

        private static IEnumerable<XElement> Elements(string xpath) => Maml.Value.XPathSelectElements(xpath, Ns);

        private static List<string> Values(string xpath) => Elements(xpath).Select(e => e.Value).ToList();

        private static string Value(XElement element, string xpath) => element.XPathSelectElement(xpath, Ns)?.Value ?? string.Empty;

        private static IEnumerable<string> Headings(string section) =>
            section.Split('\n').Where(l => l.StartsWith("### ", StringComparison.Ordinal)).Select(l => l.Substring(4).Trim()).ToList();

        private static string Words(string text) => string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

        private static XmlNamespaceManager Namespaces()
        {
            var ns = new XmlNamespaceManager(new NameTable());
            ns.AddNamespace("msh", "http://msh");
            ns.AddNamespace("maml", "http://schemas.microsoft.com/maml/2004/10");
            ns.AddNamespace("command", "http://schemas.microsoft.com/maml/dev/command/2004/10");
            ns.AddNamespace("dev", "http://schemas.microsoft.com/maml/dev/2004/10");
            return ns;
        }
    }
}
