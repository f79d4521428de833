using System;
using System.Collections.Generic;
using System.Linq;
using PSUpnp.HelpCompiler.Markdown;
using PSUpnp.HelpCompiler.Model;

namespace PSUpnp.HelpCompiler.Parsing
{
    /// <summary>A heading and the blocks under it, up to the next heading of its level or above.</summary>
    public sealed record Section(MarkdownBlock Heading, IReadOnlyList<MarkdownBlock> Body)
    {
        public string Title => Heading.Text;

        public int Line => Heading.Line;
    }

    /// <summary>What the page parsers share: splitting at headings and turning blocks into help text, with errors that name the line.</summary>
    public sealed class PageReader
    {
        public PageReader(string file) => File = file;

        public string File { get; }

        public HelpFormatException Error(int line, string problem) => new HelpFormatException(File, line, problem);

        /// <summary>The blocks before the first heading of <paramref name="level"/>, and a section per such heading.</summary>
        public (IReadOnlyList<MarkdownBlock> Before, IReadOnlyList<Section> Sections) Split(IReadOnlyList<MarkdownBlock> blocks, int level)
        {
            var starts = Enumerable.Range(0, blocks.Count).Where(i => IsHeading(blocks[i], level)).ToList();
            var before = blocks.Take(starts.Count > 0 ? starts[0] : blocks.Count).ToList();
            var sections = starts.Select((start, n) =>
            {
                var end = n + 1 < starts.Count ? starts[n + 1] : blocks.Count;
                return new Section(blocks[start], blocks.Skip(start + 1).Take(end - start - 1).ToList());
            }).ToList();
            return (before, sections);
        }

        /// <summary>Prose, list items and code as help text; a heading here is out of place.</summary>
        public IReadOnlyList<TextBlock> Text(IEnumerable<MarkdownBlock> blocks, string where) =>
            blocks.Select(b => b.Kind switch
            {
                BlockKind.Paragraph => new TextBlock(TextKind.Paragraph, b.Text),
                BlockKind.ListItem => new TextBlock(TextKind.ListItem, b.Text, b.Info, b.Level),
                BlockKind.Code => new TextBlock(TextKind.Code, b.Text.TrimEnd('\n')),
                _ => throw Error(b.Line, $"'{b.Text}' is a heading inside {where}, which takes only text: make it a paragraph, or fix its level."),
            }).ToList();

        /// <summary>Sections under <paramref name="parent"/> must follow a heading: text directly under it is an error.</summary>
        public IReadOnlyList<Section> Subsections(Section parent, string expected)
        {
            var (before, sections) = Split(parent.Body, parent.Heading.Level + 1);
            if (before.Count > 0)
            {
                throw Error(before[0].Line, $"text directly under '{new string('#', parent.Heading.Level)} {parent.Title}': put it under a '{new string('#', parent.Heading.Level + 1)} {expected}' heading.");
            }

            return sections;
        }

        private static bool IsHeading(MarkdownBlock block, int level) => block.Kind == BlockKind.Heading && block.Level == level;
    }
}
