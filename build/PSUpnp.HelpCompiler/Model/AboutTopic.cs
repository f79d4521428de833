using System.Collections.Generic;

namespace PSUpnp.HelpCompiler.Model
{
    /// <summary>An about_ page: its name, the one-line short description, then its sections in order.</summary>
    public sealed record AboutTopic(string Name, string ShortDescription, IReadOnlyList<AboutSection> Sections);

    /// <summary>"# LONG DESCRIPTION" (depth 1) or a "## GATEWAYS" under it (depth 2), with its text.</summary>
    public sealed record AboutSection(string Title, int Depth, IReadOnlyList<TextBlock> Body);
}
