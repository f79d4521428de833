namespace PSUpnp.HelpCompiler.Markdown
{
    public enum BlockKind
    {
        Heading,
        Paragraph,
        ListItem,
        Code,
    }

    /// <summary>
    /// One block of a page, flattened: a heading, a paragraph, one list item or a fenced code block, with the 1-based
    /// line it starts on so that every error can name it.
    /// </summary>
    /// <param name="Text">The heading's title, the paragraph's or item's lines (joined by \n), or the code.</param>
    /// <param name="Level">The heading's level (1 for '#'); a list item's nesting depth (1 for the outer list).</param>
    /// <param name="Info">The code block's language ("powershell", "yaml"), or a list item's marker ("-", "1.").</param>
    public sealed record MarkdownBlock(BlockKind Kind, string Text, int Line, int Level = 0, string Info = "");
}
