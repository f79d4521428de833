using System;

namespace PSUpnp
{
    /// <summary>One line of Test-UpnpPortMapping's answer: what was checked, the outcome, and why.</summary>
    public sealed class PortMappingCheck
    {
        public PortMappingCheck(string name, PortMappingCheckResult result, string detail)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Result = result;
            Detail = detail ?? string.Empty;
        }

        /// <summary>Gateway, ExternalAddress, AddressOwner, Stun, MappingExists, MappingEnabled, InternalClient, InternalPort, Lease, Listener, Hairpinning.</summary>
        public string Name { get; }

        public PortMappingCheckResult Result { get; }

        /// <summary>What was found, and for a failure what to do.</summary>
        public string Detail { get; }

        public override string ToString() => Result + " " + Name + ": " + Detail;
    }
}
