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

        /// <summary>VmHWM of this process (Linux): the peak resident set so far.</summary>
        public static double PeakRssMb()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        var kb = line.Substring(6).Trim().Split(' ')[0];
                        return double.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
                    }
                }
            }
            catch (IOException)
            {
            }

            return double.NaN;
        }
    }
}
