using System;
using System.Collections.Generic;
using System.Linq;

namespace PSUpnp.Igd
{
    /// <summary>
    /// The pinholes this session opened, per router: WANIPv6FirewallControl:1 has no action that lists a router's
    /// pinholes, so what Get-UpnpPortMapping can show over IPv6 is what this session made (each checked against the
    /// router before it is shown). Explicit, keyed by the firewall's control URL and UniqueID, and expiring: an entry
    /// goes when its lease runs out, when the router says it holds no such pinhole, or when it is removed.
    /// Thread-safe.
    /// </summary>
    internal sealed class PinholeBook
    {
        private readonly object _gate = new object();
        private readonly Dictionary<(Uri Url, int Id), UpnpPortMapping> _entries = new Dictionary<(Uri, int), UpnpPortMapping>();

        public static PinholeBook Shared { get; } = new PinholeBook();

        public void Record(Uri firewallUrl, UpnpPortMapping pinhole)
        {
            if (pinhole.PinholeId is int id)
            {
                lock (_gate)
                {
                    _entries[(firewallUrl, id)] = pinhole;
                }
            }
        }

        public UpnpPortMapping? Find(Uri firewallUrl, int pinholeId)
        {
            lock (_gate)
            {
                return _entries.TryGetValue((firewallUrl, pinholeId), out var pinhole) ? pinhole : null;
            }
        }

        public void Forget(Uri firewallUrl, int pinholeId)
        {
            lock (_gate)
            {
                _entries.Remove((firewallUrl, pinholeId));
            }
        }

        /// <summary>The unexpired pinholes recorded for one router, in UniqueID order; expired ones are dropped.</summary>
        public IReadOnlyList<UpnpPortMapping> Of(Uri firewallUrl, DateTimeOffset now)
        {
            lock (_gate)
            {
                foreach (var key in _entries.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList())
                {
                    _entries.Remove(key);
                }

                return _entries.Where(e => e.Key.Url == firewallUrl).OrderBy(e => e.Key.Id).Select(e => e.Value).ToList();
            }
        }
    }
}
