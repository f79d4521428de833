namespace PSUpnp.Pcp
{
    /// <summary>The opcodes of RFC 6887 section 19.2; an answer sets the R bit (128) above the request's.</summary>
    internal enum PcpOpcode : byte
    {
        Announce = 0,
        Map = 1,
        Peer = 2,
    }
}
