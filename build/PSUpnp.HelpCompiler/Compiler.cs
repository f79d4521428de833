using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PSUpnp.HelpCompiler.Model;
using PSUpnp.HelpCompiler.Parsing;
using PSUpnp.HelpCompiler.Writing;

namespace PSUpnp.HelpCompiler
{
    /// <summary>
    /// docs/help to the en-US folder of the module: the cmdlet pages into the MAML file their front matter names
    /// (PSUpnp.dll-Help.xml), each about_Name.help.md into about_Name.help.txt. Every page is parsed before anything is
    /// written, so a malformed page leaves the previous help in place; help files that no page makes any more are removed.
    /// </summary>
    public static class Compiler
    {
        public static IReadOnlyList<string> Compile(string helpDirectory, string outputDirectory)
        {
            if (!Directory.Exists(helpDirectory))
            {
                throw new DirectoryNotFoundException($"{helpDirectory} does not exist: give the docs/help folder.");
            }

            var pages = Directory.GetFiles(helpDirectory, "*.md").OrderBy(f => f, StringComparer.Ordinal).ToList();
            var about = pages.Where(IsAboutPage).ToList();
            var commands = pages.Except(about).Select(CommandPageParser.Parse).ToList();
            if (commands.Count == 0)
            {
                throw new HelpFormatException(helpDirectory, 0, "no cmdlet pages (<Verb-Noun>.md) in the help folder.");
            }

            var topics = about.Select(AboutTopicParser.Parse).ToList();

            Directory.CreateDirectory(outputDirectory);
            var written = new List<string>();
            foreach (var file in commands.GroupBy(c => c.HelpFile, StringComparer.OrdinalIgnoreCase))
            {
                var path = Path.Combine(outputDirectory, file.Key);
                MamlWriter.Write(MamlWriter.ToMaml(file.OrderBy(c => c.Name, StringComparer.Ordinal)), path);
                written.Add(path);
            }

            foreach (var topic in topics)
            {
                var path = Path.Combine(outputDirectory, topic.Name + ".help.txt");
                File.WriteAllText(path, AboutTopicWriter.ToText(topic), new UTF8Encoding(false));
                written.Add(path);
            }

            // The folder holds only what the pages make now: help of a page that was removed goes with it.
            var kept = written.Select(Path.GetFileName).ToList();
            foreach (var stale in Directory.GetFiles(outputDirectory).Where(f => IsHelpFile(f) && !kept.Contains(Path.GetFileName(f))))
            {
                File.Delete(stale);
            }

            return written;
        }

        private static bool IsHelpFile(string path) =>
            path.EndsWith("-Help.xml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".help.txt", StringComparison.OrdinalIgnoreCase);

        private static bool IsAboutPage(string path) =>
            Path.GetFileName(path).StartsWith("about_", StringComparison.OrdinalIgnoreCase);
    }
}
