using System;
using System.Collections.Generic;
using System.Linq;

namespace PSUpnp
{
    /// <summary>
    /// Test-UpnpPortMapping -Detailed: what a helper needs for a support ticket, as plain text and numbers so that it
    /// serialises cleanly (ConvertTo-Json, Export-Clixml). Nothing secret and no device identifier: the root device's
    /// UDN and serial number are left out (they name one device wherever it goes and help nobody diagnose); addresses,
    /// the router's model strings and its SERVER header (its firmware) are in, since the diagnosis rests on them.
    /// </summary>
    public sealed class GatewayDiagnostics
    {
        public GatewayDiagnostics(
            DateTimeOffset collectedAt,
            IReadOnlyList<string> interfacesSearched,
            IReadOnlyList<SsdpAnswerRecord> ssdpAnswers,
            string descriptionUrl,
            string serviceType,
            string controlUrl,
            string friendlyName,
            string manufacturer,
            string modelName,
            string serverHeader,
            string externalAddress,
            string connectionStatus,
            long uptimeSeconds,
            string lastConnectionError,
            string addressOwner,
            string natType,
            string natVerdict,
            string doubleNat,
            IReadOnlyList<string> faults)
        {
            CollectedAt = collectedAt;
            InterfacesSearched = Copy(interfacesSearched);
            SsdpAnswers = (ssdpAnswers ?? Array.Empty<SsdpAnswerRecord>()).ToList().AsReadOnly();
            DescriptionUrl = descriptionUrl ?? string.Empty;
            ServiceType = serviceType ?? string.Empty;
            ControlUrl = controlUrl ?? string.Empty;
            FriendlyName = friendlyName ?? string.Empty;
            Manufacturer = manufacturer ?? string.Empty;
            ModelName = modelName ?? string.Empty;
            ServerHeader = serverHeader ?? string.Empty;
            ExternalAddress = externalAddress ?? string.Empty;
            ConnectionStatus = connectionStatus ?? string.Empty;
            UptimeSeconds = uptimeSeconds;
            LastConnectionError = lastConnectionError ?? string.Empty;
            AddressOwner = addressOwner ?? string.Empty;
            NatType = natType ?? string.Empty;
            NatVerdict = natVerdict ?? string.Empty;
            DoubleNat = doubleNat ?? string.Empty;
            Faults = Copy(faults);
        }

        /// <summary>When the bundle was collected (UTC).</summary>
        public DateTimeOffset CollectedAt { get; }

        /// <summary>Each local interface searched: name, address/prefix, multicast and the default gateways asked by unicast.</summary>
        public IReadOnlyList<string> InterfacesSearched { get; }

        /// <summary>Every SSDP answer received, in order of arrival.</summary>
        public IReadOnlyList<SsdpAnswerRecord> SsdpAnswers { get; }

        /// <summary>The description URL of the gateway chosen.</summary>
        public string DescriptionUrl { get; }

        /// <summary>The connection service chosen (WANIPConnection or WANPPPConnection, and its version).</summary>
        public string ServiceType { get; }

        public string ControlUrl { get; }

        public string FriendlyName { get; }

        public string Manufacturer { get; }

        public string ModelName { get; }

        /// <summary>The SSDP SERVER header: the router's operating system, UPnP version and firmware product/version.</summary>
        public string ServerHeader { get; }

        /// <summary>GetExternalIPAddress; empty when the router has none.</summary>
        public string ExternalAddress { get; }

        /// <summary>GetStatusInfo's NewConnectionStatus.</summary>
        public string ConnectionStatus { get; }

        /// <summary>GetStatusInfo's NewUptime, in seconds.</summary>
        public long UptimeSeconds { get; }

        public string LastConnectionError { get; }

        /// <summary>Whether the router holds its external address (the TTL-1 echo), in words.</summary>
        public string AddressOwner { get; }

        /// <summary>Test-NatType's result: the NAT type, its verdict and the double-NAT finding.</summary>
        public string NatType { get; }

        public string NatVerdict { get; }

        public string DoubleNat { get; }

        /// <summary>Every error and fault met while collecting, as "ErrorId: message".</summary>
        public IReadOnlyList<string> Faults { get; }

        private static IReadOnlyList<string> Copy(IReadOnlyList<string>? items) => (items ?? Array.Empty<string>()).ToList().AsReadOnly();
    }
}
