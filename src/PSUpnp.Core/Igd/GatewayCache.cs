using System;
using System.Collections.Generic;
using System.Net;

namespace PSUpnp.Igd
{
    /// <summary>
    /// The session's memory of discovered gateways: the one deliberate process-wide state of the engine, so that a
    /// pipeline of cmdlets does not search the network again for every call. Thread-safe; keyed by the search (the
    /// local address searched from, or every interface); an entry lives until its SSDP advertisement expires
    /// (CACHE-CONTROL max-age), and answers that gave no max-age are not kept at all.
    /// </summary>
    internal sealed class GatewayCache
    {
        private const string AnyInterfaceKey = "*";

        private readonly object gate = new object();
        private readonly Dictionary<string, Entry> entries = new Dictionary<string, Entry>(StringComparer.Ordinal);

        internal GatewayCache()
        {
        }

        /// <summary>The cache GatewayLocator uses unless told otherwise.</summary>
        public static GatewayCache Shared { get; } = new GatewayCache();

        /// <summary>The last epoch each PCP or NAT-PMP router reported in this session: a restart between two calls shows there.</summary>
        internal Engine.Ways.EpochBook Epochs { get; } = new Engine.Ways.EpochBook();

        /// <summary>How many searches have a remembered answer (expired ones included until next asked for).</summary>
        public int Count
        {
            get
            {
                lock (gate)
                {
                    return entries.Count;
                }
            }
        }

        /// <summary>
        /// Forgets every remembered search whose answer holds this gateway (same control URL), so that the next call
        /// discovers again: call it when the gateway stopped answering (the router was replaced or restarted).
        /// Returns how many entries were removed.
        /// </summary>
        public int Evict(UpnpGateway gateway)
        {
            if (gateway == null)
            {
                throw new ArgumentNullException(nameof(gateway));
            }

            lock (gate)
            {
                var stale = new List<string>();
                foreach (var pair in entries)
                {
                    foreach (var cached in pair.Value.Gateways)
                    {
                        if (cached.ControlUrl == gateway.ControlUrl)
                        {
                            stale.Add(pair.Key);
                            break;
                        }
                    }
                }

                foreach (var key in stale)
                {
                    entries.Remove(key);
                }

                return stale.Count;
            }
        }

        /// <summary>
        /// True when <paramref name="error"/> says the gateway is gone rather than that it refused: no connection, no
        /// complete answer in time, or its control URL no longer exists (HTTP 404). That is what a restarted, replaced
        /// or renumbered router looks like. A UPnP fault or a malformed answer means the device is there and answered.
        /// </summary>
        public static bool MeansGatewayIsGone(UpnpException error)
        {
            if (error == null)
            {
                throw new ArgumentNullException(nameof(error));
            }

            return error is UpnpConnectionException
                || error is UpnpTimeoutException
                || error is UpnpNameNotResolvedException
                || (error is UpnpHttpStatusException http && http.StatusCode == 404);
        }

        /// <summary>
        /// Evicts <paramref name="gateway"/> when <paramref name="error"/> means it is gone (see <see cref="MeansGatewayIsGone"/>),
        /// so that the next call that relies on the cache discovers again. Returns whether it was judged gone.
        /// </summary>
        public bool ForgetIfGone(UpnpGateway gateway, UpnpException error)
        {
            if (!MeansGatewayIsGone(error))
            {
                return false;
            }

            Evict(gateway);
            return true;
        }

        /// <summary>Forgets the remembered search of one interface key (<see cref="KeyOf"/>); true when there was one.</summary>
        internal bool Forget(string key)
        {
            lock (gate)
            {
                return entries.Remove(key);
            }
        }

        /// <summary>Forgets everything.</summary>
        public void Clear()
        {
            lock (gate)
            {
                entries.Clear();
            }
        }

        internal static string KeyOf(IPAddress? localAddress) => localAddress?.ToString() ?? AnyInterfaceKey;

        internal bool TryGet(string key, DateTimeOffset now, out IReadOnlyList<UpnpGateway> gateways)
        {
            lock (gate)
            {
                if (entries.TryGetValue(key, out var entry))
                {
                    if (now < entry.ExpiresAt)
                    {
                        gateways = entry.Gateways;
                        return true;
                    }

                    entries.Remove(key);
                }
            }

            gateways = Array.Empty<UpnpGateway>();
            return false;
        }

        /// <summary>Remembers an answer until the earliest expiry among its gateways; does nothing when one has none.</summary>
        internal bool Store(string key, IReadOnlyList<UpnpGateway> gateways)
        {
            DateTimeOffset? expiresAt = null;
            foreach (var gateway in gateways)
            {
                if (gateway.ExpiresAt == null)
                {
                    return false;
                }

                if (expiresAt == null || gateway.ExpiresAt < expiresAt)
                {
                    expiresAt = gateway.ExpiresAt;
                }
            }

            if (expiresAt == null)
            {
                return false;
            }

            lock (gate)
            {
                entries[key] = new Entry(gateways, expiresAt.Value);
            }

            return true;
        }

        private sealed class Entry
        {
            public Entry(IReadOnlyList<UpnpGateway> gateways, DateTimeOffset expiresAt)
            {
                Gateways = gateways;
                ExpiresAt = expiresAt;
            }

            public IReadOnlyList<UpnpGateway> Gateways { get; }
            public DateTimeOffset ExpiresAt { get; }
        }
    }
}
