using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;

namespace PSUpnp.Stun
{
    /// <summary>A STUN server as the user names it: host[:port], [IPv6]:port, or an address; port 3478 by default.</summary>
    internal sealed class StunServerAddress
    {
        public const int DefaultPort = 3478;

        private StunServerAddress(string host, int port)
        {
            Host = host;
            Port = port;
        }

        public string Host { get; }

        public int Port { get; }

        public static StunServerAddress Parse(string text)
        {
            var value = (text ?? string.Empty).Trim();
            if (value.StartsWith("stun:", StringComparison.OrdinalIgnoreCase))
            {
                value = value.Substring(5);
            }

            string host;
            string? port = null;
            if (value.StartsWith("[", StringComparison.Ordinal))
            {
                var close = value.IndexOf(']');
                if (close < 0 || (close + 1 < value.Length && value[close + 1] != ':'))
                {
                    throw Invalid(text);
                }

                host = value.Substring(1, close - 1);
                port = close + 1 < value.Length ? value.Substring(close + 2) : null;
            }
            else if (value.Count(c => c == ':') == 1)
            {
                var colon = value.IndexOf(':');
                host = value.Substring(0, colon);
                port = value.Substring(colon + 1);
            }
            else
            {
                // No colon, or a bare IPv6 address.
                host = value;
            }

            var number = DefaultPort;
            if (host.Length == 0 || (port != null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1 || number > 65535)))
            {
                throw Invalid(text);
            }

            if (host.Contains(":") && !IPAddress.TryParse(host, out _))
            {
                throw Invalid(text);
            }

            return new StunServerAddress(host, number);
        }

        /// <summary>The server's addresses of <paramref name="family"/> (DNS names resolved), first one first.</summary>
        public async Task<IPEndPoint> ResolveAsync(AddressFamily family, CancellationToken cancellationToken)
        {
            if (IPAddress.TryParse(Host, out var literal))
            {
                if (literal.AddressFamily != family)
                {
                    throw NotResolved("it is an " + Describe(literal.AddressFamily) + " address and the local socket is " + Describe(family) + ".");
                }

                return new IPEndPoint(literal, Port);
            }

            IPAddress[] addresses;
            try
            {
                addresses = await NameLookup.GetAddressesAsync(Host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw NotResolved(e.Message, e);
            }

            var match = addresses.FirstOrDefault(a => a.AddressFamily == family);
            if (match == null)
            {
                throw NotResolved("it has no " + Describe(family) + " address.");
            }

            return new IPEndPoint(match, Port);
        }

        /// <summary>
        /// The servers' addresses of <paramref name="family"/>, each name parsed and resolved in order; a name that
        /// does not resolve is traced and left out, and only when none resolves is the first failure thrown.
        /// </summary>
        internal static async Task<List<(StunServerAddress Name, IPEndPoint EndPoint)>> ResolveAllAsync(IEnumerable<string> names, AddressFamily family, ITraceSink trace, CancellationToken cancellationToken)
        {
            var parsed = names.Select(Parse).ToList();
            var servers = new List<(StunServerAddress Name, IPEndPoint EndPoint)>();
            UpnpNameNotResolvedException? firstFailure = null;
            foreach (var server in parsed)
            {
                try
                {
                    servers.Add((server, await server.ResolveAsync(family, cancellationToken).ConfigureAwait(false)));
                }
                catch (UpnpNameNotResolvedException e)
                {
                    trace.Trace(e.Message);
                    firstFailure ??= e;
                }
            }

            return servers.Count > 0 ? servers : throw firstFailure!;
        }

        public override string ToString() => (Host.Contains(":") ? "[" + Host + "]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

        private static string Describe(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

        private UpnpNameNotResolvedException NotResolved(string why, Exception? inner = null) =>
            new UpnpNameNotResolvedException(Host, "The STUN server " + this + " cannot be used: " + why, ToString(), inner);

        private static StunException Invalid(string? text) => new StunException(
            UpnpErrors.StunInvalidServer,
            "'" + text + "' is not a STUN server address; write host, host:port, or [IPv6]:port.",
            text);
    }
}
