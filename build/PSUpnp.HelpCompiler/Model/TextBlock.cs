namespace PSUpnp.HelpCompiler.Model
{
    public enum TextKind
    {
        Paragraph,
        ListItem,
        Code,
    }

    /// <summary>A paragraph of help text as the page wrote it: prose (its lines), a list item or a code block.</summary>
    /// <param name="Marker">A list item's "-" or "1.".</param>
    /// <param name="Depth">A list item's nesting depth (1 for the outer list).</param>
    public sealed record TextBlock(TextKind Kind, string Text, string Marker = "", int Depth = 0);
}
