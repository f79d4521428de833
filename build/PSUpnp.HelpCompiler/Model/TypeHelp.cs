using System.Collections.Generic;

namespace PSUpnp.HelpCompiler.Model
{
    /// <summary>An input or output type: "### PSUpnp.UpnpGateway" and what the page says about it.</summary>
    public sealed record TypeHelp(string Name, IReadOnlyList<TextBlock> Description);
}
