using System.Collections.Generic;

namespace PSUpnp.HelpCompiler.Model
{
    /// <summary>One cmdlet page of docs/help.</summary>
    /// <param name="HelpFile">The front matter's "external help file": the MAML file the command belongs in.</param>
    public sealed record CommandHelp(
        string Name,
        string HelpFile,
        string Synopsis,
        IReadOnlyList<TextBlock> Description,
        IReadOnlyList<SyntaxItem> Syntax,
        IReadOnlyList<ParameterHelp> Parameters,
        IReadOnlyList<TypeHelp> Inputs,
        IReadOnlyList<TypeHelp> Outputs,
        IReadOnlyList<TextBlock> Notes,
        IReadOnlyList<ExampleHelp> Examples,
        IReadOnlyList<RelatedLink> RelatedLinks);
}
