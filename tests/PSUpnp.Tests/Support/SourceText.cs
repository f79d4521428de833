using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PSUpnp.Tests.Support;

namespace PSUpnp.Tests.CodeRules
{
    /// <summary>
    /// C# source with comments removed (and, on request, the contents of string and character literals blanked), so
    /// that a rule checked by pattern sees code only: a comment that mentions `catch (Exception)` or a message that
    /// says "#if" is not a violation. Line breaks are kept, so positions still map to lines.
    /// </summary>
    public static class SourceText
    {
        public static IReadOnlyList<(string Path, string Code)> Files(string relativeFolder, bool blankStrings)
        {
            var folder = RepoPaths.Combine(relativeFolder);
            return Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(f => !IsBuildOutput(folder, f))
                .OrderBy(f => f, System.StringComparer.Ordinal)
                .Select(f => (Path.GetRelativePath(RepoPaths.RepoRoot, f), Strip(File.ReadAllText(f), blankStrings)))
                .ToList();
        }

        public static int LineOf(string code, int index) => code.Take(index).Count(c => c == '\n') + 1;

        /// <summary>Removes // and /* */ comments; with <paramref name="blankStrings"/>, replaces every literal's content with spaces.</summary>
        public static string Strip(string source, bool blankStrings)
        {
            var sb = new StringBuilder(source.Length);
            var i = 0;
            while (i < source.Length)
            {
                var c = source[i];
                var next = i + 1 < source.Length ? source[i + 1] : '\0';
                if (c == '/' && next == '/')
                {
                    while (i < source.Length && source[i] != '\n')
                    {
                        i++;
                    }
                }
                else if (c == '/' && next == '*')
                {
                    var end = source.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                    end = end < 0 ? source.Length : end + 2;
                    sb.Append(KeepLineBreaks(source, i, end));
                    i = end;
                }
                else if (c == '\'')
                {
                    i = CopyLiteral(source, i, '\'', verbatim: false, raw: false, sb, blankStrings);
                }
                else if (c == '"' || ((c == '@' || c == '$') && (next == '"' || next == '@' || next == '$')))
                {
                    var verbatim = false;
                    while (source[i] == '@' || source[i] == '$')
                    {
                        verbatim |= source[i] == '@';
                        sb.Append(source[i]);
                        i++;
                    }

                    var raw = string.CompareOrdinal(source, i, "\"\"\"", 0, 3) == 0;
                    i = CopyLiteral(source, i, '"', verbatim, raw, sb, blankStrings);
                }
                else
                {
                    sb.Append(c);
                    i++;
                }
            }

            return sb.ToString();
        }

        private static int CopyLiteral(string source, int i, char quote, bool verbatim, bool raw, StringBuilder sb, bool blank)
        {
            var quotes = 1;
            if (raw)
            {
                quotes = 0;
                while (i + quotes < source.Length && source[i + quotes] == '"')
                {
                    quotes++;
                }
            }

            sb.Append(source, i, quotes);
            var j = i + quotes;
            while (j < source.Length)
            {
                var c = source[j];
                if (raw)
                {
                    if (c == '"' && j + quotes <= source.Length && source.Substring(j, quotes) == new string('"', quotes))
                    {
                        break;
                    }
                }
                else if (!verbatim && c == '\\')
                {
                    Append(sb, source.Substring(j, 2), blank);
                    j += 2;
                    continue;
                }
                else if (verbatim && c == '"' && j + 1 < source.Length && source[j + 1] == '"')
                {
                    Append(sb, "\"\"", blank);
                    j += 2;
                    continue;
                }
                else if (c == quote || (!verbatim && c == '\n'))
                {
                    break;
                }

                Append(sb, c.ToString(), blank);
                j++;
            }

            var close = raw ? quotes : 1;
            if (j < source.Length)
            {
                sb.Append(source, j, System.Math.Min(close, source.Length - j));
            }

            return System.Math.Min(source.Length, j + close);
        }

        private static void Append(StringBuilder sb, string text, bool blank)
        {
            foreach (var c in text)
            {
                sb.Append(blank && c != '\n' ? ' ' : c);
            }
        }

        private static string KeepLineBreaks(string source, int start, int end) =>
            new string(source.Substring(start, end - start).Select(ch => ch == '\n' ? '\n' : ' ').ToArray());

        private static bool IsBuildOutput(string folder, string file)
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            return relative.StartsWith("bin/", System.StringComparison.Ordinal) || relative.StartsWith("obj/", System.StringComparison.Ordinal);
        }
    }
}
