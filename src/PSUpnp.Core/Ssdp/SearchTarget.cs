using System;
using System.Collections.Generic;

namespace PSUpnp.Ssdp
{
    /// <summary>The SSDP search targets (ST) that find an Internet Gateway Device or its connection services.</summary>
    internal static class SearchTarget
    {
        public const string InternetGatewayDevice1 = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";
        public const string InternetGatewayDevice2 = "urn:schemas-upnp-org:device:InternetGatewayDevice:2";
        public const string WanIPConnection1 = "urn:schemas-upnp-org:service:WANIPConnection:1";
        public const string WanIPConnection2 = "urn:schemas-upnp-org:service:WANIPConnection:2";
        public const string WanPppConnection1 = "urn:schemas-upnp-org:service:WANPPPConnection:1";

        /// <summary>
        /// Every target a gateway search asks for. Both IGD versions are asked because devices that claim v2 are
        /// often only reachable that way, while v1 devices never answer a v2 search.
        /// </summary>
        public static IReadOnlyList<string> Gateway { get; } = new[]
        {
            InternetGatewayDevice2,
            InternetGatewayDevice1,
            WanIPConnection2,
            WanIPConnection1,
            WanPppConnection1,
        };

        /// <summary>True when an answer's ST (or a NOTIFY's NT) names one of the gateway targets, compared without case.</summary>
        public static bool IsGateway(string? target)
        {
            if (target == null)
            {
                return false;
            }

            foreach (var t in Gateway)
            {
                if (string.Equals(t, target, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
