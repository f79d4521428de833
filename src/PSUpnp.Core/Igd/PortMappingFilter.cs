using System;
using System.Collections.Generic;
using System.Linq;

namespace PSUpnp.Igd
{
    /// <summary>
    /// Selects mappings from a router's table. Every criterion left unset matches everything; the set ones must all
    /// match. Text criteria are predicates so the caller chooses the pattern language (the cmdlets use PowerShell
    /// wildcards) without the engine depending on it.
    /// </summary>
    internal sealed class PortMappingFilter
    {
        /// <summary>Match any of these external ports; null or empty: any port.</summary>
        public IReadOnlyCollection<int>? ExternalPorts { get; set; }

        public PortMappingProtocol? Protocol { get; set; }

        /// <summary>Tested against the internal client's address as text (e.g. 192.168.1.20).</summary>
        public Func<string, bool>? InternalClient { get; set; }

        public Func<string, bool>? Description { get; set; }

        public bool Matches(UpnpPortMapping mapping)
        {
            if (mapping == null)
            {
                throw new ArgumentNullException(nameof(mapping));
            }

            return (ExternalPorts == null || ExternalPorts.Count == 0 || ExternalPorts.Contains(mapping.ExternalPort))
                && (Protocol == null || Protocol == mapping.Protocol)
                && (InternalClient == null || InternalClient(mapping.InternalClient.ToString()))
                && (Description == null || Description(mapping.Description));
        }

        /// <summary>The matching mappings in table order.</summary>
        public IEnumerable<UpnpPortMapping> Apply(IEnumerable<UpnpPortMapping> mappings) => mappings.Where(Matches);
    }
}
