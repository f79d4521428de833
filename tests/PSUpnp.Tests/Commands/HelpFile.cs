using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PSUpnp.Tests.Support;

namespace PSUpnp.Tests.Surface
{
    /// <summary>A platyPS markdown help page split into its sections, parameters and examples.</summary>
    public sealed class HelpFile
    {
        private static readonly Regex Heading = new Regex(@"^(#{2,3}) (.+?)\s*$", RegexOptions.Multiline);
        private static readonly Regex Fence = new Regex(@"^```(\w*)\r?\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);
        private static readonly Regex YamlLine = new Regex(@"^([A-Za-z ]+):[ \t]*(.*?)\s*$", RegexOptions.Multiline);

        private HelpFile(string path, string text)
        {
            Path = path;
            Text = text;
            var title = Regex.Match(text, @"^# (\S+)\s*$", RegexOptions.Multiline);
            Title = title.Success ? title.Groups[1].Value : string.Empty;
            Sections = Split(text, 2).ToDictionary(s => s.Name, s => s.Body, StringComparer.Ordinal);
            Parameters = Sections.TryGetValue("PARAMETERS", out var parameters)
                ? Split(parameters, 3).ToDictionary(s => s.Name, s => Yaml(s.Body), StringComparer.Ordinal)
                : new Dictionary<string, IReadOnlyDictionary<string, string>>();
            Examples = Sections.TryGetValue("EXAMPLES", out var examples)
                ? Split(examples, 3).Select(s => (s.Name, Code: Fence.Matches(s.Body).Select(m => m.Groups[2].Value).FirstOrDefault() ?? string.Empty)).ToList()
                : new List<(string, string)>();
        }

        public static string Directory => RepoPaths.Combine("docs", "help");

        public string Path { get; }

        public string Text { get; }

        /// <summary>The "# Name" line.</summary>
        public string Title { get; }

        /// <summary>"## SYNOPSIS" and so on, by name.</summary>
        public IReadOnlyDictionary<string, string> Sections { get; }

        /// <summary>"### -Name" (and "### CommonParameters") with the fields of its yaml block.</summary>
        public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Parameters { get; }

        /// <summary>Each "### Example" heading with the code of its first fenced block.</summary>
        public IReadOnlyList<(string Title, string Code)> Examples { get; }

        public static HelpFile Load(string commandName) =>
            new HelpFile(System.IO.Path.Combine(Directory, commandName + ".md"), File.ReadAllText(System.IO.Path.Combine(Directory, commandName + ".md")));

        /// <summary>The cmdlet pages (not about_ topics), by command name.</summary>
        public static IReadOnlyList<string> CommandPages() =>
            System.IO.Directory.GetFiles(Directory, "*.md")
                .Select(f => System.IO.Path.GetFileNameWithoutExtension(f))
                .Where(n => !n.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToList();

        /// <summary>Example code without the prompt platyPS pages show ("PS C:\&gt; ").</summary>
        public static string WithoutPrompt(string code) =>
            Regex.Replace(code, @"^PS [^>\r\n]*> ", string.Empty, RegexOptions.Multiline);

        private static IEnumerable<(string Name, string Body)> Split(string text, int level)
        {
            // Headings inside fenced code (a comment line in an example) are not headings.
            var fences = Fence.Matches(text).Select(m => (m.Index, End: m.Index + m.Length)).ToList();
            var headings = Heading.Matches(text)
                .Where(m => m.Groups[1].Value.Length == level && !fences.Any(f => m.Index > f.Index && m.Index < f.End))
                .ToList();
            for (var i = 0; i < headings.Count; i++)
            {
                var start = headings[i].Index + headings[i].Length;
                var end = i + 1 < headings.Count ? headings[i + 1].Index : text.Length;
                yield return (headings[i].Groups[2].Value, text.Substring(start, end - start));
            }
        }

        private static IReadOnlyDictionary<string, string> Yaml(string body)
        {
            var block = Fence.Matches(body).FirstOrDefault(m => m.Groups[1].Value == "yaml");
            return block == null
                ? new Dictionary<string, string>()
                : YamlLine.Matches(block.Groups[2].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        }
    }
}
