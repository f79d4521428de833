namespace PSUpnp.HelpCompiler.Model
{
    /// <summary>"[Get-UpnpPortMapping]()": a command or topic name, with a URI when the link goes online.</summary>
    public sealed record RelatedLink(string Text, string Uri);
}
