using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PSUpnp.HelpCompiler.Model;

namespace PSUpnp.HelpCompiler.Writing
{
    /// <summary>
    /// Help text laid out for a console: prose and list items filled to a width at word boundaries (PowerShell's help
    /// view breaks over-long lines in the middle of words), code kept exactly as written.
    /// </summary>
    public static class TextWrap
    {
        /// <summary>The block's lines, none wider than <paramref name="width"/> unless one word is (a URL) or it is code.</summary>
        public static IReadOnlyList<string> Lines(TextBlock block, int width) => block.Kind switch
        {
            TextKind.Code => block.Text.Split('\n'),
            TextKind.ListItem => Fill(block.Marker + " " + OneLine(block.Text), width, Pad(2 * (block.Depth - 1)), Pad(2 * (block.Depth - 1) + block.Marker.Length + 1)),
            _ => Fill(OneLine(block.Text), width, string.Empty, string.Empty),
        };

        /// <summary>A paragraph's lines joined into one, as a synopsis must be.</summary>
        public static string OneLine(string text) =>
            string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));

        public static string Pad(int columns) => new string(' ', columns);

        private static List<string> Fill(string text, int width, string first, string rest)
        {
            var lines = new List<string>();
            var line = new StringBuilder(first);
            var empty = true;
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > width)
                {
                    lines.Add(line.ToString());
                    line.Clear().Append(rest);
                    empty = true;
                }

                line.Append(empty ? string.Empty : " ").Append(word);
                empty = false;
            }

            lines.Add(line.ToString());
            return lines;
        }
    }
}
