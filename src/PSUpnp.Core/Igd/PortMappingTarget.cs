using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PSUpnp.Net;

namespace PSUpnp.Igd
{
    /// <summary>A validated request with its defaults applied: what is actually sent to the router.</summary>
    internal sealed class PortMappingTarget
    {
        private PortMappingTarget(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, int internalPort, IPAddress internalClient, bool enabled, string description, TimeSpan leaseDuration)
        {
            RemoteHost = remoteHost;
            ExternalPort = externalPort;
            Protocol = protocol;
            InternalPort = internalPort;
            InternalClient = internalClient;
            Enabled = enabled;
            Description = description;
            LeaseDuration = leaseDuration;
        }

        public IPAddress? RemoteHost { get; }
        public int ExternalPort { get; }
        public PortMappingProtocol Protocol { get; }
        public int InternalPort { get; }
        public IPAddress InternalClient { get; }
        public bool Enabled { get; }
        public string Description { get; }
        public TimeSpan LeaseDuration { get; }

        /// <summary>The request checked, with InternalClient defaulting to <paramref name="localAddress"/> and InternalPort 0 to ExternalPort.</summary>
        /// <param name="request">What the caller asked for.</param>
        /// <param name="localAddress">The gateway's LocalAddress.</param>
        public static PortMappingTarget From(PortMappingRequest request, IPAddress localAddress)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            CheckPort(request.ExternalPort, "ExternalPort", 1);
            CheckPort(request.InternalPort, "InternalPort", 0);
            // The one lease rule: the cmdlets' binding check says the same words before a request exists.
            if (LeaseDurationRule.Problem(request.LeaseDuration) is string problem)
            {
                throw Invalid("LeaseDuration", problem);
            }

            var internalClient = IPv4(request.InternalClient ?? localAddress, "InternalClient");
            var remoteHost = request.RemoteHost == null ? null : IPv4(request.RemoteHost, "RemoteHost");
            var internalPort = request.InternalPort == 0 ? request.ExternalPort : request.InternalPort;
            return new PortMappingTarget(
                remoteHost,
                request.ExternalPort,
                request.Protocol,
                internalPort,
                internalClient,
                request.Enabled,
                request.Description ?? string.Empty,
                request.LeaseDuration);
        }

        public static PortMappingTarget From(UpnpPortMapping mapping) => new PortMappingTarget(
            mapping.RemoteHost,
            mapping.ExternalPort,
            mapping.Protocol,
            mapping.InternalPort,
            mapping.InternalClient,
            mapping.Enabled,
            mapping.Description,
            mapping.LeaseDuration);

        public bool IsSameClient(UpnpPortMapping existing) =>
            existing.InternalClient.Equals(InternalClient) && existing.InternalPort == InternalPort;

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2}:{3}", Protocol, ExternalPort, InternalClient, InternalPort);

        internal static void CheckPort(int port, string name, int min)
        {
            if (port < min || port > 65535)
            {
                throw Invalid(name, string.Format(CultureInfo.InvariantCulture, "{0} must be between {1} and 65535; it was {2}.", name, min, port));
            }
        }

        // WANIPConnection and WANPPPConnection carry IPv4 addresses only.
        private static IPAddress IPv4(IPAddress address, string name)
        {
            address = MappedAddress.Unmap(address);
            if (address.AddressFamily != AddressFamily.InterNetwork)
            {
                throw Invalid(name, name + " must be an IPv4 address: UPnP IGD port mappings are IPv4 only; it was " + address + ".");
            }

            return address;
        }

        internal static UpnpException Invalid(string name, string message) =>
            new UpnpException(UpnpErrors.InvalidArgument, message, name);
    }
}
