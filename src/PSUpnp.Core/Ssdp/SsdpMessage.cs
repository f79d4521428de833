using System;
using System.Collections.Generic;

namespace PSUpnp.Ssdp
{
    /// <summary>One parsed SSDP datagram: a search response or a NOTIFY, with its headers in arrival order.</summary>
    internal sealed class SsdpMessage
    {
        internal SsdpMessage(
            SsdpMessageKind kind,
            string target,
            string? usn,
            Uri? location,
            string? server,
            TimeSpan? maxAge,
            string? notificationSubtype,
            IReadOnlyList<KeyValuePair<string, string>> headers)
        {
            Kind = kind;
            Target = target;
            Usn = usn;
            Location = location;
            Server = server;
            MaxAge = maxAge;
            NotificationSubtype = notificationSubtype;
            Headers = headers;
        }

        public SsdpMessageKind Kind { get; }

        /// <summary>ST of a search response, NT of a NOTIFY.</summary>
        public string Target { get; }

        /// <summary>Unique Service Name, e.g. uuid:...::urn:schemas-upnp-org:device:InternetGatewayDevice:1.</summary>
        public string? Usn { get; }

        /// <summary>Where the root device description is (absolute http URL); null only for ssdp:byebye.</summary>
        public Uri? Location { get; }

        /// <summary>SERVER header as sent; null when absent.</summary>
        public string? Server { get; }

        /// <summary>CACHE-CONTROL max-age; null when absent or unreadable.</summary>
        public TimeSpan? MaxAge { get; }

        /// <summary>NTS of a NOTIFY (ssdp:alive, ssdp:byebye, ssdp:update); null for a search response.</summary>
        public string? NotificationSubtype { get; }

        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

        /// <summary>The device part of the USN (uuid:...), the same for every answer one device sends.</summary>
        public string? Udn
        {
            get
            {
                if (Usn == null)
                {
                    return null;
                }

                var sep = Usn.IndexOf("::", StringComparison.Ordinal);
                return sep < 0 ? Usn : Usn.Substring(0, sep);
            }
        }

        /// <summary>The first header of that name, compared without case; null when absent.</summary>
        public string? GetHeader(string name) => SsdpParser.FirstHeader(Headers, name);
    }
}
