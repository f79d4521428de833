using System.Collections.Generic;

namespace PSUpnp.HelpCompiler.Model
{
    /// <summary>"### -Name": its description and the fields of its yaml block.</summary>
    /// <param name="Position">"Named" or the 0-based position.</param>
    /// <param name="PipelineInput">As the page writes it: "False", "True (ByValue)", "True (ByPropertyName, ByValue)".</param>
    public sealed record ParameterHelp(
        string Name,
        IReadOnlyList<TextBlock> Description,
        string TypeName,
        IReadOnlyList<string> Aliases,
        bool Required,
        string Position,
        string DefaultValue,
        string PipelineInput,
        bool Wildcards,
        IReadOnlyList<string> AcceptedValues)
    {
        public bool IsSwitch => TypeName is "SwitchParameter" or "System.Management.Automation.SwitchParameter";
    }
}
