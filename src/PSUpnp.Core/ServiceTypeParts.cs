using System;
using System.Globalization;

namespace PSUpnp
{
    /// <summary>Splits a UPnP type URN (urn:domain:service:Name:Version) into its name and version.</summary>
    internal static class ServiceTypeParts
    {
        public static string Name(string urn)
        {
            var parts = urn.Split(':');
            return parts.Length >= 5 ? parts[parts.Length - 2] : urn;
        }

        public static int Version(string urn)
        {
            var parts = urn.Split(':');
            return parts.Length >= 5
                && int.TryParse(parts[parts.Length - 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v)
                ? v : 1;
        }
    }
}
