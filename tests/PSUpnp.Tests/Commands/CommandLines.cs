using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace PSUpnp.Tests.Surface
{
    /// <summary>One call of a command found in a script: its name and its arguments as written.</summary>
    public sealed class CommandLine
    {
        public CommandLine(string name, IReadOnlyList<string> arguments, string text)
        {
            Name = name;
            Arguments = arguments;
            Text = text;
        }

        public string Name { get; }

        /// <summary>The arguments after the name: -Parameter tokens, values, and groups such as (New-TimeSpan -Hours 1) kept whole.</summary>
        public IReadOnlyList<string> Arguments { get; }

        public string Text { get; }

        public override string ToString() => Text;
    }

    /// <summary>
    /// Finds the calls of given commands in PowerShell example code, well enough to check documentation: pipelines and
    /// statements are split at top-level |, ; and line ends (a trailing backtick continues the line); quoted strings,
    /// here-strings, comments and brackets are respected; commands inside ( ), $( ), @( ) and { } are found too.
    /// </summary>
    public static class CommandLines
    {
        public static IReadOnlyList<CommandLine> Find(string script, ISet<string> commandNames)
        {
            var found = new List<CommandLine>();
            Scan(script, commandNames, found);
            return found;
        }

        private static void Scan(string script, ISet<string> names, List<CommandLine> found)
        {
            foreach (var element in Elements(script))
            {
                var tokens = Tokens(element);
                for (var i = 0; i < tokens.Count; i++)
                {
                    if (names.Contains(tokens[i]))
                    {
                        found.Add(new CommandLine(tokens[i], JoinArrays(tokens.Skip(i + 1).ToList()), element.Trim()));
                        break;
                    }
                }

                foreach (var group in tokens.Where(t => t.Length > 1 && (t[0] == '(' || t[0] == '{' || t.StartsWith("$(", StringComparison.Ordinal) || t.StartsWith("@(", StringComparison.Ordinal))))
                {
                    var open = group.IndexOfAny(new[] { '(', '{' });
                    Scan(group.Substring(open + 1, group.Length - open - 2), names, found);
                }
            }
        }

        /// <summary>The script cut at top-level pipes, semicolons and unescaped line ends.</summary>
        private static IEnumerable<string> Elements(string script)
        {
            var current = new StringBuilder();
            var i = 0;
            while (i < script.Length)
            {
                var c = script[i];
                if (c == '#' || (c == '<' && At(script, i, "<#")))
                {
                    i = SkipComment(script, i);
                    continue;
                }

                var end = SkipAtom(script, i);
                if (end > i + 1 || c == '\'' || c == '"')
                {
                    current.Append(script, i, end - i);
                    i = end;
                    continue;
                }

                if (c == '`' && i + 1 < script.Length && (script[i + 1] == '\n' || script[i + 1] == '\r'))
                {
                    current.Append(' ');
                    i += script[i + 1] == '\r' && At(script, i + 1, "\r\n") ? 3 : 2;
                    continue;
                }

                if (c == '|' || c == ';' || c == '\n')
                {
                    yield return current.ToString();
                    current.Clear();
                }
                else
                {
                    current.Append(c);
                }

                i++;
            }

            yield return current.ToString();
        }

        /// <summary>Whitespace-separated words, strings and bracketed groups of one pipeline element.</summary>
        private static List<string> Tokens(string element)
        {
            var tokens = new List<string>();
            var current = new StringBuilder();
            var i = 0;
            while (i < element.Length)
            {
                var c = element[i];
                if (char.IsWhiteSpace(c))
                {
                    Flush(tokens, current);
                    i++;
                    continue;
                }

                var end = SkipAtom(element, i);
                current.Append(element, i, end - i);
                i = end;
            }

            Flush(tokens, current);
            return tokens;
        }

        /// <summary>PowerShell reads "8080, 8443" as one array argument.</summary>
        private static List<string> JoinArrays(List<string> tokens)
        {
            var joined = new List<string>();
            foreach (var token in tokens)
            {
                if (joined.Count > 0 && (joined[^1].EndsWith(",", StringComparison.Ordinal) || token.StartsWith(",", StringComparison.Ordinal)))
                {
                    joined[^1] += token;
                }
                else
                {
                    joined.Add(token);
                }
            }

            return joined;
        }

        /// <summary>The end of the string, here-string or bracketed group that starts at <paramref name="i"/>, else i + 1.</summary>
        private static int SkipAtom(string s, int i)
        {
            var c = s[i];
            if (At(s, i, "@'") || At(s, i, "@\""))
            {
                var close = s.IndexOf("\n" + s[i + 1] + "@", i + 2, StringComparison.Ordinal);
                return close < 0 ? s.Length : close + 3;
            }

            if (c == '\'')
            {
                var j = i + 1;
                while (j < s.Length && !(s[j] == '\'' && !At(s, j, "''")))
                {
                    j += At(s, j, "''") ? 2 : 1;
                }

                return Math.Min(s.Length, j + 1);
            }

            if (c == '"')
            {
                var j = i + 1;
                while (j < s.Length && s[j] != '"')
                {
                    j += s[j] == '`' ? 2 : 1;
                }

                return Math.Min(s.Length, j + 1);
            }

            if (c == '(' || c == '{' || c == '[' || ((c == '$' || c == '@') && i + 1 < s.Length && s[i + 1] == '('))
            {
                var start = c == '$' || c == '@' ? i + 1 : i;
                var open = s[start];
                var closeChar = open == '(' ? ')' : open == '{' ? '}' : ']';
                var depth = 0;
                var j = start;
                while (j < s.Length)
                {
                    if (s[j] == '\'' || s[j] == '"')
                    {
                        j = SkipAtom(s, j);
                        continue;
                    }

                    if (s[j] == open)
                    {
                        depth++;
                    }
                    else if (s[j] == closeChar && --depth == 0)
                    {
                        return j + 1;
                    }

                    j++;
                }

                return s.Length;
            }

            return i + 1;
        }

        private static int SkipComment(string s, int i)
        {
            if (At(s, i, "<#"))
            {
                var close = s.IndexOf("#>", i + 2, StringComparison.Ordinal);
                return close < 0 ? s.Length : close + 2;
            }

            var line = s.IndexOf('\n', i);
            return line < 0 ? s.Length : line;
        }

        private static bool At(string s, int i, string what) => string.CompareOrdinal(s, i, what, 0, what.Length) == 0;

        private static void Flush(List<string> tokens, StringBuilder current)
        {
            if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }
    }
}
