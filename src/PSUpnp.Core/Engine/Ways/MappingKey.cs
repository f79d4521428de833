using System.Net;

namespace PSUpnp.Engine.Ways
{
    /// <summary>
    /// What names one mapping to remove. UPnP IGD names it by remote host, external port and protocol; PCP and NAT-PMP
    /// by the internal port and protocol (and PCP by its nonce too), so the key carries both.
    /// </summary>
    internal sealed class MappingKey
    {
        public MappingKey(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, int internalPort = 0, string? pcpNonce = null)
        {
            RemoteHost = remoteHost;
            ExternalPort = externalPort;
            Protocol = protocol;
            InternalPort = internalPort == 0 ? externalPort : internalPort;
            PcpNonce = pcpNonce;
        }

        public IPAddress? RemoteHost { get; }
        public int ExternalPort { get; }
        public PortMappingProtocol Protocol { get; }

        /// <summary>The internal port; the external one when not known (Add-UpnpPortMapping's default).</summary>
        public int InternalPort { get; }

        /// <summary>The nonce a PCP mapping was made with, when the mapping object carried it.</summary>
        public string? PcpNonce { get; }

        /// <summary>The key of a mapping object (from Add-, Get-UpnpPortMapping or a saved copy).</summary>
        public static MappingKey Of(UpnpPortMapping mapping) =>
            new MappingKey(mapping.RemoteHost, mapping.ExternalPort, mapping.Protocol, mapping.InternalPort, mapping.PcpNonce);
    }
}
