using System;
using System.Collections.Generic;
using System.Globalization;

namespace PSUpnp.Igd
{
    /// <summary>
    /// The lease rules of the two service versions: v1 takes 0 as permanent; v2 refuses 0 and caps every lease at
    /// 604800 s, so a permanent or longer request becomes the longest lease v2 allows, and the caller is told.
    /// </summary>
    internal static class LeasePlan
    {
        public const uint V2MaximumSeconds = 604800;

        public static uint Seconds(TimeSpan requested, int serviceVersion, List<string>? warnings)
        {
            var seconds = (uint)Math.Ceiling(requested.TotalSeconds);
            if (serviceVersion < 2)
            {
                return seconds;
            }

            if (seconds == 0)
            {
                warnings?.Add("The router's IGD v2 service does not grant permanent leases: the mapping lasts 604800 seconds (7 days), the longest lease IGD v2 allows. Renew it before then.");
                return V2MaximumSeconds;
            }

            if (seconds > V2MaximumSeconds)
            {
                warnings?.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "The lease of {0} seconds was capped to 604800 seconds (7 days), the longest lease IGD v2 allows. Renew the mapping before then.",
                    seconds));
                return V2MaximumSeconds;
            }

            return seconds;
        }

        public static string PermanentWarning(uint askedSeconds, int refusal) => string.Format(
            CultureInfo.InvariantCulture,
            "The router only supports permanent leases (it refused a lease with UPnP error {1}): the mapping was made permanent instead of lasting {0} seconds. Remove it yourself when it is no longer needed.",
            askedSeconds,
            refusal);
    }
}
