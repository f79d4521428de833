using System.Collections.Generic;

namespace PSUpnp.HelpCompiler.Model
{
    /// <summary>"### Example 1: ...": the first code block is the example's code, what follows its remarks.</summary>
    public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<TextBlock> Remarks);
}
