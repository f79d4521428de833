using System.Collections.Generic;

namespace PSUpnp.HelpCompiler.Model
{
    /// <summary>One parameter set's syntax line, "### ByKey (Default)" and its code block.</summary>
    public sealed record SyntaxItem(string ParameterSet, IReadOnlyList<SyntaxParameter> Parameters);

    /// <summary>A parameter as one syntax line shows it: "-Name &lt;Type&gt;", "[-Name] &lt;Type&gt;", "[-Switch]"...</summary>
    /// <param name="TypeName">The value's type, or null for a switch.</param>
    public sealed record SyntaxParameter(string Name, string? TypeName, bool Required, bool Positional);
}
