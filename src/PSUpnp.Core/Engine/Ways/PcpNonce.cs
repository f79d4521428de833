using System;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace PSUpnp.Engine.Ways
{
    /// <summary>The 96-bit PCP mapping nonce, as 24 hex digits on the mapping object.</summary>
    internal static class PcpNonce
    {
        public const int Length = 12;

        /// <summary>
        /// The nonce of a mapping, derived from what names the mapping on the router (internal client, internal port,
        /// protocol) rather than drawn at random. Why: PCP renews or deletes a mapping only with the nonce it was made
        /// with (RFC 6887 11.3, NOT_AUTHORIZED otherwise), and a renewal often runs in another process (a scheduled task)
        /// that knows only the port and protocol; a random nonce would be lost with the process that drew it, and the
        /// mapping could neither be renewed nor removed until it expired. The nonce guards a mapping against other
        /// hosts' requests; the PCP server already accepts a MAP only from the internal client's own address, so a
        /// host that could use a derived nonce must be able to send as this host, and could as well take the port.
        /// </summary>
        public static byte[] Derive(IPAddress internalClient, int internalPort, PortMappingProtocol protocol)
        {
            var text = "PSUpnp PCP MAP nonce|" + internalClient + "|" + protocol + "|" + internalPort.ToString(CultureInfo.InvariantCulture);
            using (var sha = SHA256.Create())
            {
                var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
                var nonce = new byte[Length];
                Array.Copy(hash, nonce, Length);
                return nonce;
            }
        }

        public static string ToText(byte[] nonce) => BitConverter.ToString(nonce).Replace("-", string.Empty).ToLowerInvariant();

        /// <summary>The nonce a mapping object carried; null when it carried none or one that is not 24 hex digits.</summary>
        public static byte[]? Parse(string? text)
        {
            if (text == null || text.Length != Length * 2)
            {
                return null;
            }

            var nonce = new byte[Length];
            for (var i = 0; i < Length; i++)
            {
                if (!byte.TryParse(text.Substring(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out nonce[i]))
                {
                    return null;
                }
            }

            return nonce;
        }
    }
}
