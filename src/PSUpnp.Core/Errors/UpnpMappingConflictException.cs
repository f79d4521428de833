using System.Globalization;
using System.Net;

namespace PSUpnp
{
    /// <summary>
    /// The external port is already mapped to another internal client (or another internal port), and the caller did
    /// not ask to take it over. The router's table was left as it was.
    /// </summary>
    public sealed class UpnpMappingConflictException : UpnpException
    {
        internal UpnpMappingConflictException(UpnpPortMapping existingMapping, IPAddress requestedClient, int requestedInternalPort)
            : base(
                UpnpErrors.MappingConflict,
                string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} port {1} on the router is already mapped to {2}:{3} (\"{4}\"), not to {5}:{6}; the existing mapping was left unchanged.",
                    existingMapping.Protocol,
                    existingMapping.ExternalPort,
                    existingMapping.InternalClient,
                    existingMapping.InternalPort,
                    existingMapping.Description,
                    requestedClient,
                    requestedInternalPort),
                existingMapping)
        {
            ExistingMapping = existingMapping;
        }

        /// <summary>The mapping as the router holds it; its InternalClient is the holder.</summary>
        public UpnpPortMapping ExistingMapping { get; }
    }
}
