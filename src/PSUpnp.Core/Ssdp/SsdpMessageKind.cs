namespace PSUpnp.Ssdp
{
    internal enum SsdpMessageKind
    {
        /// <summary>An answer to an M-SEARCH (HTTP/1.1 200 OK over UDP).</summary>
        SearchResponse,
        /// <summary>A NOTIFY advertisement (ssdp:alive, ssdp:byebye, ssdp:update).</summary>
        Notify,
    }
}
