using System.Collections.Generic;

namespace PSUpnp.Igd
{
    /// <summary>The outcome of an add: the mapping as the router now holds it, and anything the caller must be told.</summary>
    internal sealed class PortMappingResult
    {
        public PortMappingResult(UpnpPortMapping mapping, PortMappingChange change, IReadOnlyList<string> warnings)
        {
            Mapping = mapping;
            Change = change;
            Warnings = warnings;
        }

        public UpnpPortMapping Mapping { get; }
        public PortMappingChange Change { get; }
        /// <summary>Adjustments the router forced (a lease made permanent or capped), in words for WriteWarning.</summary>
        public IReadOnlyList<string> Warnings { get; }
    }
}
