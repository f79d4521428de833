using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace PSUpnp.Bench
{
    /// <summary>--name value pairs and --flags after the subcommand.</summary>
    internal sealed class Options
    {
        private readonly Dictionary<string, string?> _values = new Dictionary<string, string?>(StringComparer.Ordinal);

        public Options(IEnumerable<string> args)
        {
            string? pending = null;
            foreach (var a in args)
            {
                if (a.StartsWith("--", StringComparison.Ordinal))
                {
                    if (pending != null)
                    {
                        _values[pending] = null;
                    }

                    pending = a.Substring(2);
                }
                else if (pending != null)
                {
                    _values[pending] = a;
                    pending = null;
                }
                else
                {
                    Positional.Add(a);
                }
            }

            if (pending != null)
            {
                _values[pending] = null;
            }
        }

        public List<string> Positional { get; } = new List<string>();

        public bool Flag(string name) => _values.ContainsKey(name);

        public string? String(string name) => _values.TryGetValue(name, out var v) ? v : null;

        public string Required(string name) =>
            String(name) ?? throw new UsageException($"--{name} is required.");

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
