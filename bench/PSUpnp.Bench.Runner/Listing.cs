using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PSUpnp.Bench.Runner
{
    /// <summary>One port mapping as a listing shows it, reduced to what both upnpc and the driver print.</summary>
    internal sealed class ListingEntry
    {
        public ListingEntry(string protocol, int externalPort, string internalClient, int internalPort, string description, string remoteHost, long leaseSeconds)
        {
            Protocol = protocol;
            ExternalPort = externalPort;
            InternalClient = internalClient;
            InternalPort = internalPort;
            Description = description;
            RemoteHost = remoteHost;
            LeaseSeconds = leaseSeconds;
        }

        public string Protocol { get; }

        public int ExternalPort { get; }

        public string InternalClient { get; }

        public int InternalPort { get; }

        public string Description { get; }

        /// <summary>Empty for a wildcard remote host (upnpc prints '', the driver null).</summary>
        public string RemoteHost { get; }

        /// <summary>Remaining lease in seconds; 0 for a permanent mapping.</summary>
        public long LeaseSeconds { get; }

        public string Key => Protocol + " " + ExternalPort.ToString(CultureInfo.InvariantCulture);

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture, "{0} {1}->{2}:{3} '{4}' '{5}' {6}", Protocol, ExternalPort, InternalClient, InternalPort, Description, RemoteHost, LeaseSeconds);
    }

    /// <summary>Reads the two listings the bench compares: upnpc's -l/-L table and the driver's JSON lines.</summary>
    internal static class Listing
    {
        // upnpc prints "%2d %s %5s->%s:%-5s '%s' '%s' %s" per entry (index, protocol, external port, internal client and
        // port, description, remote host, lease); the header and status lines around it do not have this shape.
        private static readonly Regex UpnpcEntry = new Regex(
            @"^\s*\d+\s+(TCP|UDP)\s+(\d+)->([0-9.]+):(\d+)\s+'(.*)'\s+'(.*)'\s+(\d+)\s*$",
            RegexOptions.CultureInvariant);

        public static IReadOnlyList<ListingEntry> ParseUpnpc(string output)
        {
            var entries = new List<ListingEntry>();
            foreach (var raw in output.Split('\n'))
            {
                var match = UpnpcEntry.Match(raw.TrimEnd('\r'));
                if (!match.Success)
                {
                    continue;
                }

                entries.Add(new ListingEntry(
                    match.Groups[1].Value,
                    int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
                    match.Groups[3].Value,
                    int.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture),
                    match.Groups[5].Value,
                    match.Groups[6].Value,
                    long.Parse(match.Groups[7].Value, CultureInfo.InvariantCulture)));
            }

            return entries;
        }

        /// <summary>The driver's <c>list</c> output: one UpnpPortMapping per line, with the cmdlet's property names.</summary>
        public static IReadOnlyList<ListingEntry> ParseDriver(IEnumerable<string> lines)
        {
            var entries = new List<ListingEntry>();
            foreach (var line in lines)
            {
                using var document = JsonDocument.Parse(line);
                var m = document.RootElement;
                var permanent = m.GetProperty("IsPermanent").GetBoolean();
                entries.Add(new ListingEntry(
                    m.GetProperty("Protocol").GetString()!,
                    m.GetProperty("ExternalPort").GetInt32(),
                    m.GetProperty("InternalClient").GetString()!,
                    m.GetProperty("InternalPort").GetInt32(),
                    m.GetProperty("Description").GetString() ?? string.Empty,
                    m.GetProperty("RemoteHost").GetString() ?? string.Empty,
                    permanent ? 0 : m.GetProperty("LeaseDuration").GetInt64()));
            }

            return entries;
        }

        /// <summary>
        /// Every difference between two listings, entry by entry, matched on protocol and external port (the table's
        /// key; upnpc prints the router's order, the driver TCP before UDP). Remaining leases may differ by
        /// <paramref name="leaseToleranceSeconds"/>, since the two listings are read moments apart. Empty when they agree.
        /// </summary>
        public static IReadOnlyList<string> Compare(IReadOnlyList<ListingEntry> ours, IReadOnlyList<ListingEntry> theirs, string theirName, long leaseToleranceSeconds)
        {
            var differences = new List<string>();
            if (ours.Count != theirs.Count)
            {
                differences.Add("the driver listed " + ours.Count + " mappings, " + theirName + " " + theirs.Count);
            }

            var theirsByKey = new Dictionary<string, ListingEntry>(StringComparer.Ordinal);
            foreach (var entry in theirs)
            {
                if (!theirsByKey.ContainsKey(entry.Key))
                {
                    theirsByKey.Add(entry.Key, entry);
                }
                else
                {
                    differences.Add(theirName + " listed " + entry.Key + " twice");
                }
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var mine in ours)
            {
                if (!seen.Add(mine.Key))
                {
                    differences.Add("the driver listed " + mine.Key + " twice");
                    continue;
                }

                if (!theirsByKey.TryGetValue(mine.Key, out var other))
                {
                    differences.Add("only the driver listed " + mine);
                    continue;
                }

                if (mine.InternalClient != other.InternalClient || mine.InternalPort != other.InternalPort
                    || mine.Description != other.Description || mine.RemoteHost != other.RemoteHost
                    || Math.Abs(mine.LeaseSeconds - other.LeaseSeconds) > leaseToleranceSeconds)
                {
                    differences.Add("the driver listed " + mine + ", " + theirName + " " + other);
                }
            }

            foreach (var other in theirs.Where(t => !seen.Contains(t.Key)))
            {
                differences.Add("only " + theirName + " listed " + other);
            }

            return differences;
        }
    }
}
