using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using PSUpnp.HelpCompiler.Model;

namespace PSUpnp.HelpCompiler.Writing
{
    /// <summary>
    /// Commands to the MAML that Get-Help reads for a binary module (&lt;Assembly&gt;.dll-Help.xml), in the shape
    /// platyPS writes: one command:command per cmdlet with details, description, syntax, parameters, inputTypes,
    /// returnValues, alertSet, examples and relatedLinks. XLinq escapes the text (&lt;, &amp; in code and prose).
    /// Prose is filled to 80 columns as Get-Help indents it (4 for the description and examples, 8 under a parameter,
    /// a type or NOTES), because PowerShell's help view breaks longer lines in the middle of words.
    /// </summary>
    public static class MamlWriter
    {
        private const int Width = 80;
        private const int Top = Width - 4;
        private const int Nested = Width - 8;

        public static readonly XNamespace Msh = "http://msh";
        public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        public static XDocument ToMaml(IEnumerable<CommandHelp> commands) =>
            new XDocument(
                new XDeclaration("1.0", "utf-8", null),
                new XElement(
                    Msh + "helpItems",
                    new XAttribute("schema", "maml"),
                    commands.Select(ToCommand)));

        public static void Write(XDocument maml, string path)
        {
            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
            using var writer = XmlWriter.Create(path, settings);
            maml.Save(writer);
        }

        private static XElement ToCommand(CommandHelp help)
        {
            var dash = help.Name.IndexOf('-');
            return new XElement(
                Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XElement(
                    Command + "details",
                    new XElement(Command + "name", help.Name),
                    new XElement(Command + "verb", dash > 0 ? help.Name.Substring(0, dash) : help.Name),
                    new XElement(Command + "noun", dash > 0 ? help.Name.Substring(dash + 1) : string.Empty),
                    Description(new[] { help.Synopsis })),
                Description(help.Description, Top),
                new XElement(Command + "syntax", help.Syntax.Select(s => SyntaxItem(help, s))),
                new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, p.Required, p.Position != "Named"))),
                new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
                new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
                new XElement(Maml + "alertSet", help.Notes.Count == 0 ? null : new XElement(Maml + "alert", Paras(help.Notes, Nested))),
                new XElement(Command + "examples", help.Examples.Select(Example)),
                new XElement(Command + "relatedLinks", help.RelatedLinks.Select(Link)));
        }

        private static XElement SyntaxItem(CommandHelp help, SyntaxItem item) =>
            new XElement(
                Command + "syntaxItem",
                new XElement(Maml + "name", help.Name),
                item.Parameters.Select(s => Parameter(help.Parameters.Single(p => p.Name == s.Name), s.Required, s.Positional)));

        private static XElement Parameter(ParameterHelp parameter, bool required, bool positional) =>
            new XElement(
                Command + "parameter",
                new XAttribute("required", Lower(required)),
                new XAttribute("variableLength", "true"),
                new XAttribute("globbing", Lower(parameter.Wildcards)),
                new XAttribute("pipelineInput", parameter.PipelineInput),
                new XAttribute("position", positional ? parameter.Position : "named"),
                new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
                new XElement(Maml + "name", parameter.Name),
                Description(parameter.Description, Nested),
                parameter.AcceptedValues.Count == 0
                    ? null
                    : new XElement(Command + "parameterValueGroup", parameter.AcceptedValues.Select(v => ParameterValue(v, required: false))),
                // A switch takes no value: without parameterValue, Get-Help shows [-Force] rather than [-Force <SwitchParameter>].
                parameter.IsSwitch ? null : ParameterValue(parameter.TypeName, required: true),
                new XElement(Dev + "type", new XElement(Maml + "name", parameter.TypeName)),
                new XElement(Dev + "defaultValue", parameter.DefaultValue));

        private static XElement ParameterValue(string value, bool required) =>
            new XElement(
                Command + "parameterValue",
                new XAttribute("required", Lower(required)),
                new XAttribute("variableLength", "false"),
                value);

        private static XElement TypeElement(string element, TypeHelp type) =>
            new XElement(
                Command + element,
                new XElement(Dev + "type", new XElement(Maml + "name", type.Name)),
                Description(type.Description, Nested));

        private static XElement Example(ExampleHelp example) =>
            new XElement(
                Command + "example",
                new XElement(Maml + "title", $"--------- {example.Title} ---------"),
                new XElement(Dev + "code", example.Code),
                // The empty para ends the example with a blank line, so that the next title stands apart.
                new XElement(Dev + "remarks", Paras(example.Remarks, Top), new XElement(Maml + "para", string.Empty)));

        private static XElement Link(RelatedLink link) =>
            new XElement(
                Maml + "navigationLink",
                new XElement(Maml + "linkText", link.Text),
                new XElement(Maml + "uri", link.Uri));

        private static XElement Description(IEnumerable<TextBlock> text, int width) => new XElement(Maml + "description", Paras(text, width));

        private static XElement Description(IEnumerable<string> paras) =>
            new XElement(Maml + "description", paras.Select(p => new XElement(Maml + "para", p)));

        private static IEnumerable<XElement> Paras(IEnumerable<TextBlock> text, int width) =>
            text.Select(t => new XElement(Maml + "para", string.Join("\n", TextWrap.Lines(t, width))));

        private static string Lower(bool value) => value ? "true" : "false";
    }
}
