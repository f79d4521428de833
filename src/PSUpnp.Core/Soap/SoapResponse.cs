using System;
using System.Collections.Generic;

namespace PSUpnp.Soap
{
    /// <summary>The out arguments of a successful action, in document order, looked up by name without case.</summary>
    internal sealed class SoapResponse
    {
        public SoapResponse(string elementName, IReadOnlyList<KeyValuePair<string, string>> arguments, string bareText)
        {
            ElementName = elementName;
            Arguments = arguments;
            BareText = bareText;
        }

        /// <summary>Local name of the body's response element, e.g. GetExternalIPAddressResponse.</summary>
        public string ElementName { get; }

        public IReadOnlyList<KeyValuePair<string, string>> Arguments { get; }

        /// <summary>
        /// Text written directly inside the response element rather than in an argument element, trimmed; some
        /// devices answer a single out argument that way.
        /// </summary>
        public string BareText { get; }

        /// <summary>
        /// The value of the first argument of that name; names compare without case because devices disagree
        /// (NewUptime and NewUpTime, lower-cased tags).
        /// </summary>
        public string? Get(string name)
        {
            foreach (var a in Arguments)
            {
                if (string.Equals(a.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return a.Value;
                }
            }

            return null;
        }
    }
}
