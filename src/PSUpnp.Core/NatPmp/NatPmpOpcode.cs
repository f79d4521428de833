namespace PSUpnp.NatPmp
{
    /// <summary>The requests of RFC 6886; an answer's opcode is the request's plus 128.</summary>
    internal enum NatPmpOpcode : byte
    {
        ExternalAddress = 0,
        MapUdp = 1,
        MapTcp = 2,
    }
}
