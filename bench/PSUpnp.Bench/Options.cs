using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace PSUpnp.Bench
{
    /// <summary>--name value pairs and --flags after the subcommand; a name given twice keeps both values.</summary>
    internal sealed class Options
    {
        private readonly Dictionary<string, List<string?>> _values = new Dictionary<string, List<string?>>(StringComparer.Ordinal);

        public Options(IEnumerable<string> args)
        {
            string? pending = null;
            foreach (var a in args)
            {
                if (a.StartsWith("--", StringComparison.Ordinal))
                {
                    if (pending != null)
                    {
                        Add(pending, null);
                    }

                    pending = a.Substring(2);
                }
                else if (pending != null)
                {
                    Add(pending, a);
                    pending = null;
                }
                else
                {
                    Positional.Add(a);
                }
            }

            if (pending != null)
            {
                Add(pending, null);
            }
        }

        public List<string> Positional { get; } = new List<string>();

        public bool Flag(string name) => _values.ContainsKey(name);

        /// <summary>The last value given for --name.</summary>
        public string? String(string name) => _values.TryGetValue(name, out var v) ? v[v.Count - 1] : null;

        /// <summary>Every value of a repeatable --name, comma lists split: --server a --server b,c gives a, b, c.</summary>
        public IReadOnlyList<string> Strings(string name)
        {
            var all = new List<string>();
            if (_values.TryGetValue(name, out var given))
            {
                foreach (var value in given)
                {
                    foreach (var part in (value ?? string.Empty).Split(','))
                    {
                        if (part.Trim().Length > 0)
                        {
                            all.Add(part.Trim());
                        }
                    }
                }
            }

            return all;
        }

        public string Required(string name) =>
            String(name) ?? throw new UsageException($"--{name} is required.");

        private void Add(string name, string? value)
        {
            if (!_values.TryGetValue(name, out var list))
            {
                _values[name] = list = new List<string?>();
            }

            list.Add(value);
        }

        public int? Int(string name)
        {
            var s = String(name);
            if (s == null)
            {
                return null;
            }

            return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new UsageException($"--{name} takes a whole number, not '{s}'.");
        }

        public IPAddress? Address(string name)
        {
            var s = String(name);
            if (s == null)
            {
                return null;
            }

            return IPAddress.TryParse(s, out var a) ? a : throw new UsageException($"--{name} takes an IP address, not '{s}'.");
        }

        public Uri? Url(string name)
        {
            var s = String(name);
            if (s == null)
            {
                return null;
            }

            return Uri.TryCreate(s, UriKind.Absolute, out var u) ? u : throw new UsageException($"--{name} takes an absolute URL, not '{s}'.");
        }

        public PortMappingProtocol Protocol(string name, PortMappingProtocol fallback)
        {
            var s = String(name);
            if (s == null)
            {
                return fallback;
            }

            return Enum.TryParse<PortMappingProtocol>(s, true, out var p)
                ? p
                : throw new UsageException($"--{name} takes TCP or UDP, not '{s}'.");
        }
    }

    internal sealed class UsageException : Exception
    {
        public UsageException(string message)
            : base(message)
        {
        }
    }
}
