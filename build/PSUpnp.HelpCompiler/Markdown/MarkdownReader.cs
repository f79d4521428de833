using System;
using System.Collections.Generic;
using System.Linq;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace PSUpnp.HelpCompiler.Markdown
{
    /// <summary>
    /// Reads a page with Markdig into its front matter and a flat list of blocks. Markdig decides what is a heading, a
    /// fence or a list (a '#' line inside a code block stays code); the text of each block is taken from the source as
    /// written, because help keeps the author's markdown (backticks and all), as platyPS does.
    /// </summary>
    public static class MarkdownReader
    {
        private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

        public static (IReadOnlyDictionary<string, string> FrontMatter, IReadOnlyList<MarkdownBlock> Blocks) Read(string text)
        {
            text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
            var document = Markdig.Markdown.Parse(text, Pipeline);
            var frontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var blocks = new List<MarkdownBlock>();
            foreach (var block in document)
            {
                if (block is YamlFrontMatterBlock yaml)
                {
                    foreach (var line in yaml.Lines.Lines.Take(yaml.Lines.Count).Select(l => l.ToString()))
                    {
                        var colon = line.IndexOf(':', StringComparison.Ordinal);
                        if (colon > 0)
                        {
                            frontMatter[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                        }
                    }
                }
                else
                {
                    Flatten(text, block, 0, blocks);
                }
            }

            return (frontMatter, blocks);
        }

        private static void Flatten(string text, Block block, int depth, List<MarkdownBlock> into)
        {
            var line = block.Line + 1;
            switch (block)
            {
                case HeadingBlock heading:
                    into.Add(new MarkdownBlock(BlockKind.Heading, Source(text, heading).TrimStart('#').Trim().TrimEnd('#').TrimEnd(), line, heading.Level));
                    break;
                case FencedCodeBlock fence:
                    into.Add(new MarkdownBlock(BlockKind.Code, fence.Lines.ToString(), line, Info: fence.Info ?? string.Empty));
                    break;
                case ListBlock list:
                    var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var marker = list.IsOrdered ? $"{number++}." : list.BulletType.ToString();
                        var children = item.ToList();
                        var first = children.FirstOrDefault() as ParagraphBlock;
                        into.Add(new MarkdownBlock(BlockKind.ListItem, first == null ? string.Empty : Lines(text, first), item.Line + 1, depth + 1, marker));
                        foreach (var child in children.Skip(first == null ? 0 : 1))
                        {
                            Flatten(text, child, depth + 1, into);
                        }
                    }

                    break;
                case LinkReferenceDefinitionGroup:
                    break;
                default:
                    // Paragraphs, and what help has no better form for (a quote, a table, an indented block): its lines as written.
                    into.Add(new MarkdownBlock(BlockKind.Paragraph, Lines(text, block), line, depth));
                    break;
            }
        }

        private static string Source(string text, Block block) => text.Substring(block.Span.Start, block.Span.Length);

        private static string Lines(string text, Block block) =>
            string.Join("\n", Source(text, block).Split('\n').Select(l => l.Trim()));
    }
}
