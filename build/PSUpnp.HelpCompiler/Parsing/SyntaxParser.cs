using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using PSUpnp.HelpCompiler.Markdown;
using PSUpnp.HelpCompiler.Model;

namespace PSUpnp.HelpCompiler.Parsing
{
    /// <summary>
    /// "### SetName" and its code block, the syntax line as Get-Command -Syntax prints it. The brackets say which
    /// parameters the set has, which it requires and which are positional, so they are read rather than guessed from
    /// the yaml blocks (a parameter can be required in one set and optional in another).
    /// </summary>
    public static class SyntaxParser
    {
        private static readonly Regex Token = new Regex(
            @"\G\s*(?:" +
            @"\[\[-(?<name>\w+)\]\s*<(?<type>[^>]+)>\](?<optional>)(?<positional>)" +
            @"|\[-(?<name>\w+)\]\s*<(?<type>[^>]+)>(?<positional>)" +
            @"|\[-(?<name>\w+)(?:\s+<(?<type>[^>]+)>)?\](?<optional>)" +
            @"|-(?<name>\w+)(?:\s+<(?<type>[^>]+)>)?" +
            @"|\[<(?<common>CommonParameters)>\])");

        public static SyntaxItem Parse(PageReader page, Section section, string command, IReadOnlyList<ParameterHelp> parameters)
        {
            var code = section.Body.Where(b => b.Kind == BlockKind.Code).ToList();
            if (code.Count != 1 || section.Body.Count != 1)
            {
                throw page.Error(section.Line, $"'### {section.Title}' under ## SYNTAX takes exactly one code block: the syntax line of that parameter set.");
            }

            var line = code[0].Text.Trim();
            if (!line.StartsWith(command + " ", System.StringComparison.Ordinal) && line != command)
            {
                throw page.Error(code[0].Line + 1, $"the syntax of '{section.Title}' does not start with the command name {command}.");
            }

            var found = new List<SyntaxParameter>();
            var at = command.Length;
            for (var match = Token.Match(line, at); at < line.Length; match = Token.Match(line, at))
            {
                if (!match.Success)
                {
                    if (line.Substring(at).Trim().Length == 0)
                    {
                        break;
                    }

                    throw page.Error(code[0].Line + 1, $"cannot read '{line.Substring(at).Trim()}' in the syntax of '{section.Title}': write [-Name] <Type>, -Name <Type>, [-Name <Type>] or [-Switch].");
                }

                at = match.Index + match.Length;
                if (match.Groups["common"].Success)
                {
                    continue;
                }

                var name = match.Groups["name"].Value;
                var parameter = parameters.FirstOrDefault(p => p.Name == name)
                    ?? throw page.Error(code[0].Line + 1, $"the syntax of '{section.Title}' names -{name}, which has no '### -{name}' under ## PARAMETERS.");
                var type = match.Groups["type"].Success ? match.Groups["type"].Value : null;
                if (type != (parameter.IsSwitch ? null : parameter.TypeName))
                {
                    throw page.Error(code[0].Line + 1, $"the syntax of '{section.Title}' shows -{name} {(type == null ? "as a switch" : $"<{type}>")}, but its yaml block says Type: {parameter.TypeName}.");
                }

                found.Add(new SyntaxParameter(
                    name,
                    type,
                    Required: !match.Groups["optional"].Success,
                    Positional: match.Groups["positional"].Success));
            }

            return new SyntaxItem(Regex.Replace(section.Title, @"\s*\(Default\)$", string.Empty), found);
        }
    }
}
