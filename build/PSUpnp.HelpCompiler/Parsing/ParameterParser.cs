using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using PSUpnp.HelpCompiler.Markdown;
using PSUpnp.HelpCompiler.Model;

namespace PSUpnp.HelpCompiler.Parsing
{
    /// <summary>"### -Name": the description, then a ```yaml block of "Key: value" lines as platyPS writes them.</summary>
    public static class ParameterParser
    {
        private static readonly string[] Keys =
        {
            "Type", "Parameter Sets", "Aliases", "Accepted values", "Applicable", "Required", "Position", "Default value",
            "Accept pipeline input", "Accept wildcard characters",
        };

        private static readonly string[] RequiredKeys = { "Type", "Required", "Position", "Accept pipeline input" };

        public static ParameterHelp Parse(PageReader page, Section section)
        {
            if (!Regex.IsMatch(section.Title, @"^-\w+$"))
            {
                throw page.Error(section.Line, $"'### {section.Title}' under ## PARAMETERS: a parameter's heading is '### -Name' (or '### CommonParameters').");
            }

            var yamlAt = section.Body.ToList().FindIndex(b => b.Kind == BlockKind.Code && b.Info == "yaml");
            if (yamlAt < 0)
            {
                throw page.Error(section.Line, $"{section.Title} has no ```yaml block (Type, Required, Position, Accept pipeline input, ...) after its description.");
            }

            if (yamlAt + 1 < section.Body.Count)
            {
                throw page.Error(section.Body[yamlAt + 1].Line, $"text after the yaml block of {section.Title}: the description goes before it.");
            }

            var yaml = section.Body[yamlAt];
            var fields = Fields(page, yaml);
            var missing = RequiredKeys.FirstOrDefault(k => !fields.ContainsKey(k));
            if (missing != null)
            {
                throw page.Error(yaml.Line, $"the yaml block of {section.Title} has no '{missing}:' line.");
            }

            string Field(string key, string otherwise) => fields.TryGetValue(key, out var value) ? value.Value : otherwise;
            var position = Field("Position", "Named");
            if (position != "Named" && !(int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 0))
            {
                throw page.Error(fields["Position"].Line, $"Position of {section.Title} is '{position}': write Named or a position from 0.");
            }

            var pipeline = Field("Accept pipeline input", "False");
            if (!Regex.IsMatch(pipeline, @"^(False|True \((ByValue|ByPropertyName)(, (ByValue|ByPropertyName))?\))$", RegexOptions.IgnoreCase))
            {
                throw page.Error(fields["Accept pipeline input"].Line, $"Accept pipeline input of {section.Title} is '{pipeline}': write False, True (ByValue), True (ByPropertyName) or True (ByPropertyName, ByValue).");
            }

            return new ParameterHelp(
                section.Title.Substring(1),
                page.Text(section.Body.Take(yamlAt), "### " + section.Title),
                Field("Type", string.Empty),
                List(Field("Aliases", string.Empty)),
                Boolean(page, fields, "Required", section.Title),
                position,
                Field("Default value", "None"),
                pipeline,
                Boolean(page, fields, "Accept wildcard characters", section.Title),
                List(Field("Accepted values", string.Empty)));
        }

        private static Dictionary<string, (string Value, int Line)> Fields(PageReader page, MarkdownBlock yaml)
        {
            var fields = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
            var lines = yaml.Text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                // The fence's own line comes first.
                var line = yaml.Line + 1 + i;
                if (lines[i].Trim().Length == 0)
                {
                    continue;
                }

                var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                var key = colon > 0 ? lines[i].Substring(0, colon).Trim() : string.Empty;
                if (!Keys.Contains(key, StringComparer.Ordinal))
                {
                    throw page.Error(line, $"'{lines[i].Trim()}' in a parameter's yaml block: each line is 'Key: value', the keys being {string.Join(", ", Keys)}.");
                }

                if (!fields.TryAdd(key, (lines[i].Substring(colon + 1).Trim(), line)))
                {
                    throw page.Error(line, $"a second '{key}:' line in the same yaml block.");
                }
            }

            return fields;
        }

        private static bool Boolean(PageReader page, Dictionary<string, (string Value, int Line)> fields, string key, string parameter)
        {
            if (!fields.TryGetValue(key, out var field))
            {
                return false;
            }

            return bool.TryParse(field.Value, out var value)
                ? value
                : throw page.Error(field.Line, $"{key} of {parameter} is '{field.Value}': write True or False.");
        }

        private static IReadOnlyList<string> List(string value) =>
            value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
