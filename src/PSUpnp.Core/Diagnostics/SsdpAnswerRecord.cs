namespace PSUpnp
{
    /// <summary>One SSDP answer as a diagnostics bundle records it (the USN is left out: it carries the device's UDN).</summary>
    public sealed class SsdpAnswerRecord
    {
        public SsdpAnswerRecord(string localInterface, string from, string searchTarget, string server, string location)
        {
            Interface = localInterface ?? string.Empty;
            From = from ?? string.Empty;
            SearchTarget = searchTarget ?? string.Empty;
            Server = server ?? string.Empty;
            Location = location ?? string.Empty;
        }

        /// <summary>The local interface the answer arrived on.</summary>
        public string Interface { get; }

        /// <summary>The device's address and port.</summary>
        public string From { get; }

        /// <summary>The ST header.</summary>
        public string SearchTarget { get; }

        /// <summary>The SERVER header.</summary>
        public string Server { get; }

        /// <summary>The LOCATION header: the description URL.</summary>
        public string Location { get; }

        public override string ToString() => Interface + " <- " + From + " " + SearchTarget + " " + Location;
    }
}
