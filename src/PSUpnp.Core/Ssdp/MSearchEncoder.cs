using System;
using System.Globalization;
using System.Net;
using System.Text;

namespace PSUpnp.Ssdp
{
    /// <summary>Builds M-SEARCH requests as UPnP Device Architecture 1.1, section 1.3.2, spells them.</summary>
    internal static class MSearchEncoder
    {
        /// <summary>The SSDP multicast group and port (UDA 1.1, 1.1.2).</summary>
        public static readonly IPEndPoint MulticastEndPoint = new IPEndPoint(IPAddress.Parse("239.255.255.250"), 1900);

        public const int SsdpPort = 1900;

        /// <summary>UDA 1.1: the multicast TTL SHOULD default to 2.</summary>
        public const int MulticastTimeToLive = 2;

        /// <summary>UDA 1.1: MX MUST be at least 1 and SHOULD be at most 5.</summary>
        public const int MinMx = 1;
        public const int MaxMx = 5;

        /// <summary>
        /// A multicast M-SEARCH: HOST is the group, MAN is quoted, MX (1 to 5 seconds) spreads the devices' answers.
        /// </summary>
        public static byte[] Multicast(string searchTarget, int mx)
        {
            if (mx < MinMx || mx > MaxMx)
            {
                throw new ArgumentOutOfRangeException(nameof(mx), mx, "UPnP Device Architecture 1.1 requires MX between 1 and 5 seconds.");
            }

            return Encode(MulticastEndPoint, searchTarget, mx);
        }

        /// <summary>
        /// A unicast M-SEARCH to one device: HOST names that device, and there is no MX because a device answers
        /// a unicast search at once (UDA 1.1, 1.3.2).
        /// </summary>
        public static byte[] Unicast(IPEndPoint device, string searchTarget)
        {
            if (device == null)
            {
                throw new ArgumentNullException(nameof(device));
            }

            return Encode(device, searchTarget, 0);
        }

        private static byte[] Encode(IPEndPoint host, string searchTarget, int mx)
        {
            CheckToken(searchTarget);
            var sb = new StringBuilder(160);
            sb.Append("M-SEARCH * HTTP/1.1\r\nHOST: ")
              .Append(host.Address.ToString())
              .Append(':')
              .Append(host.Port.ToString(CultureInfo.InvariantCulture))
              .Append("\r\nMAN: \"ssdp:discover\"\r\n");
            if (mx > 0)
            {
                sb.Append("MX: ").Append(mx.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            }

            sb.Append("ST: ").Append(searchTarget).Append("\r\n\r\n");
            return Encoding.ASCII.GetBytes(sb.ToString());
        }

        private static void CheckToken(string searchTarget)
        {
            if (string.IsNullOrEmpty(searchTarget))
            {
                throw new ArgumentException("The search target is empty.", nameof(searchTarget));
            }

            foreach (var c in searchTarget)
            {
                // A control character or a non-ASCII one would corrupt the header block or its encoding.
                if (c <= ' ' || c > '~')
                {
                    throw new ArgumentException("The search target must be printable ASCII without spaces: " + searchTarget, nameof(searchTarget));
                }
            }
        }
    }
}
