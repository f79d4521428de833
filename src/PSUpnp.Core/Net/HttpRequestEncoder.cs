using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PSUpnp.Net
{
    /// <summary>Writes an HTTP/1.1 request head and body into one buffer, so it leaves in as few segments as possible.</summary>
    internal static class HttpRequestEncoder
    {
        public const string UserAgent = "PSUpnp/1 UPnP/1.1";

        public static byte[] Encode(string method, Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, byte[]? body)
        {
            if (!string.Equals(url.Scheme, "http", StringComparison.OrdinalIgnoreCase))
            {
                throw new UpnpException(UpnpErrors.UnsupportedUrlScheme, $"Only http:// URLs are supported for UPnP devices, not '{url.Scheme}' ({url}).", url);
            }

            var sb = new StringBuilder(256);
            sb.Append(method).Append(' ').Append(url.PathAndQuery).Append(" HTTP/1.1\r\n");
            sb.Append("Host: ").Append(url.Authority).Append("\r\n");
            var hasUserAgent = false;
            foreach (var h in headers)
            {
                CheckToken(h.Key);
                CheckValue(h.Value);
                hasUserAgent |= string.Equals(h.Key, "User-Agent", StringComparison.OrdinalIgnoreCase);
                sb.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
            }

            if (!hasUserAgent)
            {
                sb.Append("User-Agent: ").Append(UserAgent).Append("\r\n");
            }

            if (body != null)
            {
                sb.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            }

            sb.Append("Connection: close\r\n\r\n");
            var head = Encoding.ASCII.GetBytes(sb.ToString());
            if (body == null || body.Length == 0)
            {
                return head;
            }

            var all = new byte[head.Length + body.Length];
            Buffer.BlockCopy(head, 0, all, 0, head.Length);
            Buffer.BlockCopy(body, 0, all, head.Length, body.Length);
            return all;
        }

        // A header name or value with CR, LF or non-ASCII would let a caller's string split the request (header injection).
        private static void CheckToken(string name)
        {
            foreach (var c in name)
            {
                if (c <= ' ' || c >= 0x7F || c == ':')
                {
                    throw new ArgumentException($"Invalid character in HTTP header name '{name}'.", nameof(name));
                }
            }
        }

        private static void CheckValue(string value)
        {
            foreach (var c in value)
            {
                if ((c < ' ' && c != '\t') || c >= 0x7F)
                {
                    throw new ArgumentException("Invalid character in an HTTP header value.", nameof(value));
                }
            }
        }
    }
}
