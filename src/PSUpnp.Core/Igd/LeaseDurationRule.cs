using System;
using System.Globalization;

namespace PSUpnp.Igd
{
    /// <summary>What a caller may ask for as a lease, checked before anything is sent to the router.</summary>
    internal static class LeaseDurationRule
    {
        /// <summary>NewLeaseDuration is a ui4 count of seconds.</summary>
        public static readonly TimeSpan Maximum = TimeSpan.FromSeconds(uint.MaxValue);

        /// <summary>Null when the lease can be asked for; otherwise what is wrong and what to write instead.</summary>
        public static string? Problem(TimeSpan lease)
        {
            if (lease < TimeSpan.Zero)
            {
                return string.Format(
                    CultureInfo.InvariantCulture,
                    "The lease duration {0} is negative. Give a positive duration such as '02:00:00', or 0 for a permanent mapping.",
                    lease);
            }

            // PowerShell turns a bare number into ticks: -LeaseDuration 3600 is 0.36 ms, which the router would
            // round to 0, a permanent mapping: the opposite of what was meant.
            if (lease > TimeSpan.Zero && lease < TimeSpan.FromSeconds(1))
            {
                return string.Format(
                    CultureInfo.InvariantCulture,
                    "The lease duration {0} is shorter than one second; a bare number is read as ticks. Write '01:00:00' or (New-TimeSpan -Hours 1), or 0 for a permanent mapping.",
                    lease);
            }

            if (lease > Maximum)
            {
                return string.Format(
                    CultureInfo.InvariantCulture,
                    "The lease duration {0} is longer than a router can hold ({1}). Use 0 for a permanent mapping.",
                    lease,
                    Maximum);
            }

            return null;
        }
    }
}
