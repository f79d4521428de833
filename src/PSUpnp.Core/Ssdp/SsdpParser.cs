using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System;
using PSUpnp.Text;

namespace PSUpnp.Ssdp
{
    /// <summary>
    /// Parses SSDP search responses and NOTIFY datagrams from bytes. Tolerates what real devices send (header names
    /// in any case, spaces around values and around "=", no EXT or CACHE-CONTROL, no final blank line, bare LF,
    /// repeated headers, whose first occurrence wins); rejects what cannot be an SSDP message with
    /// UpnpException UpnpMalformedSsdp.
    /// </summary>
    internal static class SsdpParser
    {

        /// <summary>Longer than any SSDP datagram can legitimately be (UDA 1.1 asks for at most 1 500 bytes).</summary>
        internal const int MaxDatagramBytes = 8192;

        public static SsdpMessage Parse(byte[] datagram) => Parse(datagram, 0, datagram?.Length ?? 0);

        public static SsdpMessage Parse(byte[] datagram, int offset, int count)
        {
            if (datagram == null)
            {
                throw new ArgumentNullException(nameof(datagram));
            }

            if (count == 0)
            {
                throw Malformed("the datagram is empty");
            }

            if (count > MaxDatagramBytes)
            {
                throw Malformed("the datagram is " + count.ToString(CultureInfo.InvariantCulture) + " bytes long");
            }

            // Headers are ASCII; UTF-8 keeps a LOCATION with non-ASCII path characters readable rather than fatal.
            var text = Encoding.UTF8.GetString(datagram, offset, count);
            var pos = 0;
            var startLine = NextLine(text, ref pos);
            if (startLine == null || startLine.Trim().Length == 0)
            {
                throw Malformed("the start line is missing");
            }

            var kind = ParseStartLine(startLine.Trim());
            var headers = new List<KeyValuePair<string, string>>(12);
            string? line;
            while ((line = NextLine(text, ref pos)) != null && line.Length > 0)
            {
                if ((line[0] == ' ' || line[0] == '\t') && headers.Count > 0)
                {
                    // Obsolete line folding (RFC 7230, 3.2.4): the line continues the previous value.
                    var last = headers[headers.Count - 1];
                    headers[headers.Count - 1] = new KeyValuePair<string, string>(last.Key, (last.Value + " " + line.Trim()).Trim());
                    continue;
                }

                var colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    throw Malformed("the header line '" + DeviceText.Printable(line) + "' has no name and colon");
                }

                var name = line.Substring(0, colon).Trim();
                if (name.Length == 0)
                {
                    throw Malformed("a header line has an empty name");
                }

                headers.Add(new KeyValuePair<string, string>(name, line.Substring(colon + 1).Trim()));
            }

            return kind == SsdpMessageKind.SearchResponse ? BuildResponse(headers) : BuildNotify(headers);
        }

        internal static string? FirstHeader(IReadOnlyList<KeyValuePair<string, string>> headers, string name)
        {
            for (var i = 0; i < headers.Count; i++)
            {
                if (string.Equals(headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return headers[i].Value;
                }
            }

            return null;
        }

        /// <summary>The max-age directive of a CACHE-CONTROL value, tolerating spaces around "="; null when absent or not a number.</summary>
        public static TimeSpan? ParseMaxAge(string? cacheControl)
        {
            if (string.IsNullOrEmpty(cacheControl))
            {
                return null;
            }

            foreach (var directive in cacheControl!.Split(','))
            {
                var eq = directive.IndexOf('=');
                if (eq < 0 || !string.Equals(directive.Substring(0, eq).Trim(), "max-age", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var value = directive.Substring(eq + 1).Trim().Trim('"');
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                    ? TimeSpan.FromSeconds(seconds)
                    : (TimeSpan?)null;
            }

            return null;
        }

        private static SsdpMessageKind ParseStartLine(string startLine)
        {
            // Start lines are split on single spaces; a BRCM400 stack adds a trailing space, trimmed by the caller.
            var parts = startLine.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0].StartsWith("HTTP/1.", StringComparison.OrdinalIgnoreCase))
            {
                if (parts[1].Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
                {
                    throw Malformed("the status line '" + DeviceText.Printable(startLine) + "' has no three-digit status code");
                }

                if (status != 200)
                {
                    throw Malformed("the answer has status " + parts[1] + " instead of 200 OK");
                }

                return SsdpMessageKind.SearchResponse;
            }

            if (parts.Length == 3 && parts[0] == "NOTIFY" && parts[1] == "*" && parts[2].StartsWith("HTTP/1.", StringComparison.OrdinalIgnoreCase))
            {
                return SsdpMessageKind.Notify;
            }

            throw Malformed("the start line '" + DeviceText.Printable(startLine) + "' is neither an HTTP/1.x status line nor NOTIFY * HTTP/1.1");
        }

        private static SsdpMessage BuildResponse(List<KeyValuePair<string, string>> headers)
        {
            var st = Required(headers, "ST");
            var location = ParseLocation(Required(headers, "LOCATION"));
            return new SsdpMessage(
                SsdpMessageKind.SearchResponse,
                st,
                Optional(headers, "USN"),
                location,
                FirstHeader(headers, "SERVER"),
                ParseMaxAge(FirstHeader(headers, "CACHE-CONTROL")),
                null,
                headers);
        }

        private static SsdpMessage BuildNotify(List<KeyValuePair<string, string>> headers)
        {
            var nt = Required(headers, "NT");
            var nts = Required(headers, "NTS");
            var rawLocation = Optional(headers, "LOCATION");
            if (rawLocation == null && !string.Equals(nts, "ssdp:byebye", StringComparison.OrdinalIgnoreCase))
            {
                throw Malformed("the " + nts + " NOTIFY has no LOCATION header");
            }

            return new SsdpMessage(
                SsdpMessageKind.Notify,
                nt,
                Optional(headers, "USN"),
                rawLocation == null ? null : ParseLocation(rawLocation),
                FirstHeader(headers, "SERVER"),
                ParseMaxAge(FirstHeader(headers, "CACHE-CONTROL")),
                nts,
                headers);
        }

        private static string Required(List<KeyValuePair<string, string>> headers, string name)
        {
            return Optional(headers, name) ?? throw Malformed("the " + name + " header is missing or empty");
        }

        private static string? Optional(List<KeyValuePair<string, string>> headers, string name)
        {
            var value = FirstHeader(headers, name);
            return string.IsNullOrEmpty(value) ? null : value;
        }

        private static Uri ParseLocation(string value)
        {
            // Only http: a description is fetched with plain HTTP/1.1, and any other scheme (file:, https: to an
            // unknown certificate) is either unreadable or a way to steer the control point.
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
                || !string.Equals(uri.Scheme, "http", StringComparison.OrdinalIgnoreCase)
                || uri.Host.Length == 0)
            {
                throw Malformed("LOCATION '" + DeviceText.Printable(value) + "' is not an absolute http URL");
            }

            return uri;
        }

        private static string? NextLine(string text, ref int pos)
        {
            if (pos >= text.Length)
            {
                return null;
            }

            var end = text.IndexOf('\n', pos);
            string line;
            if (end < 0)
            {
                line = text.Substring(pos);
                pos = text.Length;
            }
            else
            {
                line = text.Substring(pos, end - pos);
                pos = end + 1;
            }

            return line.Length > 0 && line[line.Length - 1] == '\r' ? line.Substring(0, line.Length - 1) : line;
        }

        private static UpnpException Malformed(string why) =>
            new UpnpException(UpnpErrors.MalformedSsdp, "The SSDP datagram is not a valid answer: " + why + ".");
    }
}
