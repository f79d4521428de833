using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace PSUpnp.Bench
{
    internal static class Stats
    {
        public static double Median(IReadOnlyList<double> values)
        {
            if (values.Count == 0)
            {
                return double.NaN;
            }

            var sorted = values.OrderBy(v => v).ToArray();
            var mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }

        /// <summary>VmHWM of this process (Linux) in MB: the peak resident set so far; NaN where /proc is missing.</summary>
        public static double PeakRssMb() => PeakRssKb() is long kb ? kb / 1024.0 : double.NaN;

        /// <summary>VmHWM of this process (Linux) in kB, as /proc/self/status says it; null where /proc is missing.</summary>
        public static long? PeakRssKb()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        return long.Parse(line.Substring(6).Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
            }

            return null;
        }
    }
}
