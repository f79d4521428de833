using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PSUpnp.HelpCompiler.Parsing;
using PSUpnp.HelpCompiler.Writing;
using Xunit;

namespace PSUpnp.Tests.HelpCompiler
{
    /// <summary>about_PSUpnp.help.md as the text Get-Help shows for about_PSUpnp.</summary>
    public sealed class AboutTopicWriterTests
    {
        private static readonly string Markdown = HelpPages.Read("about_PSUpnp.help.md").Replace("\r\n", "\n", StringComparison.Ordinal);
        private static readonly string[] Lines =
            AboutTopicWriter.ToText(AboutTopicParser.Parse(Path.Combine(HelpPages.Directory, "about_PSUpnp.help.md"))).Split('\n');

        [Fact]
        public void TheTopicOpensWithItsNameAndTheShortDescriptionOnLine5WhereGetHelpTakesTheSynopsis()
        {
            var shortDescription = Regex.Match(Markdown, @"^# SHORT DESCRIPTION\n(.+?)\n\n", RegexOptions.Multiline | RegexOptions.Singleline).Groups[1].Value;

            Assert.Equal(new[] { "TOPIC", "    about_PSUpnp", string.Empty, "SHORT DESCRIPTION" }, Lines.Take(4));
            Assert.Equal("    " + string.Join(" ", shortDescription.Split('\n')), Lines[4]);
        }

        [Fact]
        public void EveryHeadingAfterTheNameIsATitleInCapitalsAndSubsectionsStandIn()
        {
            // A '#' line in a code block (a comment) is code, not a heading.
            var prose = Regex.Replace(Markdown, @"^```.*?^```", string.Empty, RegexOptions.Multiline | RegexOptions.Singleline);
            var headings = Regex.Matches(prose, @"^(#{1,2}) (.+)$", RegexOptions.Multiline).Skip(2).ToList();

            Assert.True(headings.Count > 5, $"{headings.Count} headings");
            foreach (Match heading in headings)
            {
                var indent = heading.Groups[1].Value.Length == 1 ? string.Empty : "  ";
                Assert.Contains(indent + heading.Groups[2].Value.ToUpperInvariant(), Lines);
            }
        }

        [Fact]
        public void EveryCodeBlockIsKeptLineForLineIndentedUnderTheText()
        {
            var blocks = Regex.Matches(Markdown, @"^```\w*\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);

            Assert.True(blocks.Count >= 3);
            var text = string.Join("\n", Lines);
            foreach (Match block in blocks)
            {
                var indented = string.Join("\n", block.Groups[1].Value.TrimEnd('\n').Split('\n').Select(l => l.Length == 0 ? l : "        " + l));
                Assert.Contains(indented, text, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void ProseKeepsEveryWordAndFits80Columns()
        {
            var prose = Lines.Where(l => !l.StartsWith("        ", StringComparison.Ordinal)).Skip(5).ToList();

            Assert.All(prose, l => Assert.True(l.Length <= 80 || !l.Trim().Contains(' ', StringComparison.Ordinal), l));
            var words = string.Join(" ", Lines).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("Register-ScheduledTask", words);
            Assert.Contains("WAN", words);
        }
    }
}
