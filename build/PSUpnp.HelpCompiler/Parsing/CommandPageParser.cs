using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PSUpnp.HelpCompiler.Markdown;
using PSUpnp.HelpCompiler.Model;
using PSUpnp.HelpCompiler.Writing;

namespace PSUpnp.HelpCompiler.Parsing
{
    /// <summary>
    /// A cmdlet page in platyPS's markdown schema (2.0.0): front matter, "# Verb-Noun", then the "##" sections
    /// SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES and RELATED LINKS.
    /// </summary>
    public static class CommandPageParser
    {
        private static readonly string[] Known = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };
        private static readonly string[] Required = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "PARAMETERS" };
        private static readonly Regex Link = new Regex(@"^\[(?<text>[^\]]+)\]\((?<uri>[^)\s]*)\)$");

        public static CommandHelp Parse(string file) => Parse(file, File.ReadAllText(file));

        public static CommandHelp Parse(string file, string text)
        {
            var page = new PageReader(file);
            var (frontMatter, blocks) = MarkdownReader.Read(text);
            var (before, titles) = page.Split(blocks, 1);
            if (before.Count > 0 || titles.Count != 1)
            {
                throw page.Error(before.Count > 0 ? before[0].Line : titles.Count > 1 ? titles[1].Line : 1, "a cmdlet page has one '# Verb-Noun' title, before everything else.");
            }

            var name = titles[0].Title;
            if (!string.Equals(name, Path.GetFileNameWithoutExtension(file), StringComparison.OrdinalIgnoreCase))
            {
                throw page.Error(titles[0].Line, $"the title '# {name}' is not the page's name: the page of {name} is {name}.md.");
            }

            if (!frontMatter.TryGetValue("external help file", out var helpFile) || !Regex.IsMatch(helpFile, @"^[\w.-]+-Help\.xml$"))
            {
                throw page.Error(1, "the front matter needs 'external help file: <Assembly>.dll-Help.xml' (the MAML file Get-Help reads for this cmdlet).");
            }

            var sections = Sections(page, titles[0]);
            IReadOnlyList<Section> Under(string section, string expected) =>
                sections.TryGetValue(section, out var s) ? page.Subsections(s, expected) : Array.Empty<Section>();
            IReadOnlyList<TextBlock> TextOf(string section) =>
                sections.TryGetValue(section, out var s) ? page.Text(s.Body, "## " + section) : Array.Empty<TextBlock>();

            var synopsis = TextOf("SYNOPSIS");
            if (synopsis.Count != 1 || synopsis[0].Kind != TextKind.Paragraph)
            {
                throw page.Error(sections["SYNOPSIS"].Line, "## SYNOPSIS takes one paragraph: the one sentence Get-Help lists the cmdlet with.");
            }

            var parameters = Under("PARAMETERS", "-ParameterName")
                .Where(p => p.Title != "CommonParameters" && p.Title != "WorkflowCommonParameters")
                .Select(p => ParameterParser.Parse(page, p))
                .ToList();
            var twice = parameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (twice != null)
            {
                throw page.Error(sections["PARAMETERS"].Line, $"-{twice.Key} is documented twice under ## PARAMETERS: keep one '### -{twice.Key}'.");
            }

            return new CommandHelp(
                name,
                helpFile,
                TextWrap.OneLine(synopsis[0].Text),
                TextOf("DESCRIPTION"),
                Under("SYNTAX", "ParameterSetName").Select(s => SyntaxParser.Parse(page, s, name, parameters)).ToList(),
                parameters,
                Types(page, Under("INPUTS", "TypeName")),
                Types(page, Under("OUTPUTS", "TypeName")),
                TextOf("NOTES"),
                Under("EXAMPLES", "Example 1: What it does").Select(e => Example(page, e)).ToList(),
                RelatedLinks(page, sections.GetValueOrDefault("RELATED LINKS")));
        }

        private static Dictionary<string, Section> Sections(PageReader page, Section title)
        {
            var (before, list) = page.Split(title.Body, 2);
            if (before.Count > 0)
            {
                throw page.Error(before[0].Line, "text between the title and '## SYNOPSIS': move it into a section.");
            }

            var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
            foreach (var section in list)
            {
                if (!Known.Contains(section.Title, StringComparer.Ordinal))
                {
                    throw page.Error(section.Line, $"unknown section '## {section.Title}': a cmdlet page has {string.Join(", ", Known)}.");
                }

                if (!sections.TryAdd(section.Title, section))
                {
                    throw page.Error(section.Line, $"a second '## {section.Title}' section: merge it into the first (line {sections[section.Title].Line}).");
                }
            }

            var missing = Required.FirstOrDefault(r => !sections.ContainsKey(r));
            if (missing != null)
            {
                throw page.Error(title.Line, $"no '## {missing}' section: every cmdlet page has {string.Join(", ", Required)}.");
            }

            return sections;
        }

        private static ExampleHelp Example(PageReader page, Section example)
        {
            var text = page.Text(example.Body, "### " + example.Title);
            var code = text.FirstOrDefault(t => t.Kind == TextKind.Code)
                ?? throw page.Error(example.Line, $"example '{example.Title}' has no code block: put the commands in a ```powershell fence under its heading.");
            return new ExampleHelp(example.Title, code.Text, text.Where(t => !ReferenceEquals(t, code)).ToList());
        }

        private static IReadOnlyList<TypeHelp> Types(PageReader page, IReadOnlyList<Section> types) =>
            types.Select(t => new TypeHelp(t.Title, page.Text(t.Body, "### " + t.Title))).ToList();

        private static IReadOnlyList<RelatedLink> RelatedLinks(PageReader page, Section? section)
        {
            if (section == null)
            {
                return Array.Empty<RelatedLink>();
            }

            return section.Body.Select(b =>
            {
                var match = b.Kind == BlockKind.Paragraph ? Link.Match(b.Text.Trim()) : Match.Empty;
                if (!match.Success)
                {
                    throw page.Error(b.Line, "## RELATED LINKS takes one link per paragraph: '[Get-UpnpPortMapping]()' or '[Text](https://...)'.");
                }

                return new RelatedLink(match.Groups["text"].Value, match.Groups["uri"].Value);
            }).ToList();
        }
    }
}
