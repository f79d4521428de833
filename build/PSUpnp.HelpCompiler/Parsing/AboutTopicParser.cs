using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PSUpnp.HelpCompiler.Model;

namespace PSUpnp.HelpCompiler.Parsing
{
    /// <summary>
    /// An about_ page in platyPS's schema: "# ModuleName", "## about_Name", then "# SHORT DESCRIPTION" (one
    /// paragraph), "# LONG DESCRIPTION" and any further "#" sections, each with "##" subsections.
    /// </summary>
    public static class AboutTopicParser
    {
        public static AboutTopic Parse(string file) => Parse(file, File.ReadAllText(file));

        public static AboutTopic Parse(string file, string text)
        {
            var page = new PageReader(file);
            var (_, blocks) = Markdown.MarkdownReader.Read(text);
            var (before, sections) = page.Split(blocks, 1);
            var expected = Path.GetFileName(file).Replace(".help.md", string.Empty, StringComparison.OrdinalIgnoreCase);
            var title = sections.FirstOrDefault();
            var names = title == null ? Array.Empty<Section>() : page.Split(title.Body, 2).Sections;
            if (before.Count > 0 || names.Count == 0 || names[0].Title != expected)
            {
                throw page.Error(names.Count > 0 ? names[0].Line : title?.Line ?? 1, $"an about page starts with '# <ModuleName>' and then '## {expected}' (the topic's name is its file's name).");
            }

            if (names[0].Body.Count > 0 || names.Count > 1)
            {
                throw page.Error(names[0].Line + 1, $"'## {expected}' is the page's name: the topic's text goes under '# SHORT DESCRIPTION' and '# LONG DESCRIPTION'.");
            }

            var body = sections.Skip(1).ToList();
            if (body.Count < 2 || body[0].Title != "SHORT DESCRIPTION" || body[1].Title != "LONG DESCRIPTION")
            {
                throw page.Error(body.FirstOrDefault()?.Line ?? names[0].Line, "after its name an about page has '# SHORT DESCRIPTION', then '# LONG DESCRIPTION'.");
            }

            var shortDescription = page.Text(body[0].Body, "# SHORT DESCRIPTION");
            if (shortDescription.Count != 1 || shortDescription[0].Kind != TextKind.Paragraph)
            {
                throw page.Error(body[0].Line, "# SHORT DESCRIPTION takes one paragraph: Get-Help shows it as the topic's one-line synopsis.");
            }

            return new AboutTopic(expected, Writing.TextWrap.OneLine(shortDescription[0].Text), body.Skip(1).SelectMany(s => Flatten(page, s)).ToList());
        }

        private static IEnumerable<AboutSection> Flatten(PageReader page, Section section)
        {
            var (text, subsections) = page.Split(section.Body, 2);
            yield return new AboutSection(section.Title, 1, page.Text(text, "# " + section.Title));
            foreach (var sub in subsections)
            {
                yield return new AboutSection(sub.Title, 2, page.Text(sub.Body, "## " + sub.Title));
            }
        }
    }
}
