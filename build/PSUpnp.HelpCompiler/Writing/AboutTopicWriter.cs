using System.Collections.Generic;
using System.Linq;
using System.Text;
using PSUpnp.HelpCompiler.Model;

namespace PSUpnp.HelpCompiler.Writing
{
    /// <summary>
    /// An about topic as the plain text Get-Help shows (about_Name.help.txt), in the classic layout: "TOPIC", the name,
    /// "SHORT DESCRIPTION" with the synopsis alone on line 5 (where Get-Help takes a help file's synopsis from), then
    /// every section with its title in capitals and its text indented and wrapped to 80 columns. Code is kept as
    /// written, indented further.
    /// </summary>
    public static class AboutTopicWriter
    {
        public const int Width = 80;
        private const int TextIndent = 4;
        private const int CodeIndent = 8;

        public static string ToText(AboutTopic topic)
        {
            var text = new StringBuilder();
            text.Append("TOPIC\n").Append(TextWrap.Pad(TextIndent)).Append(topic.Name).Append("\n\n");
            text.Append("SHORT DESCRIPTION\n").Append(TextWrap.Pad(TextIndent)).Append(topic.ShortDescription).Append('\n');
            foreach (var section in topic.Sections)
            {
                text.Append('\n').Append(TextWrap.Pad((section.Depth - 1) * 2)).Append(section.Title.ToUpperInvariant()).Append('\n');
                TextBlock? previous = null;
                foreach (var block in section.Body)
                {
                    // Items of one list stay together, as the markdown shows them; every other block is a paragraph of its own.
                    if (previous != null && !(previous.Kind == TextKind.ListItem && block.Kind == TextKind.ListItem))
                    {
                        text.Append('\n');
                    }

                    previous = block;
                    foreach (var line in Lines(block))
                    {
                        text.Append(line.TrimEnd()).Append('\n');
                    }
                }
            }

            return text.ToString();
        }

        private static IEnumerable<string> Lines(TextBlock block)
        {
            var indent = TextWrap.Pad(block.Kind == TextKind.Code ? CodeIndent : TextIndent);
            return TextWrap.Lines(block, Width - TextIndent).Select(l => l.Length == 0 ? l : indent + l);
        }
    }
}
