using System;
using System.Globalization;
using System.Net;
using PSUpnp.Soap;

namespace PSUpnp.Igd
{
    /// <summary>Builds UpnpExternalAddress from the answers to GetExternalIPAddress and GetStatusInfo.</summary>
    internal static class ExternalAddressReader
    {
        /// <param name="address">The GetExternalIPAddress answer.</param>
        /// <param name="status">The GetStatusInfo answer; null when the router does not implement it.</param>
        /// <param name="gateway">The gateway asked.</param>
        /// <param name="trace">Where an unusable address is reported.</param>
        public static UpnpExternalAddress Read(SoapResponse address, SoapResponse? status, UpnpGateway gateway, ITraceSink trace)
        {
            var uptime = TimeSpan.Zero;
            if (status != null
                && uint.TryParse((status.Get("NewUptime") ?? string.Empty).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                uptime = TimeSpan.FromSeconds(seconds);
            }

            return new UpnpExternalAddress(
                gateway,
                Address(address, trace),
                status?.Get("NewConnectionStatus")?.Trim() ?? string.Empty,
                uptime,
                status?.Get("NewLastConnectionError")?.Trim() ?? string.Empty);
        }

        // Empty, unparsable and 0.0.0.0 all mean the router has no usable external address (typically: not connected).
        private static IPAddress? Address(SoapResponse response, ITraceSink trace)
        {
            // Some devices write the address as bare text in the response element instead of in its argument.
            var text = (response.Get("NewExternalIPAddress") ?? response.BareText).Trim();
            if (text.Length == 0)
            {
                return null;
            }

            if (!IPAddress.TryParse(text, out var address))
            {
                trace.Trace("GetExternalIPAddress answered '" + text + "', which is not an IP address.");
                return null;
            }

            return address.Equals(IPAddress.Any) ? null : address;
        }
    }
}
