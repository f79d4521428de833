using System;
using System.Net;

namespace PSUpnp
{
    /// <summary>The gateway's external (WAN) address with the state of its connection.</summary>
    public sealed class UpnpExternalAddress
    {
        public UpnpExternalAddress(
            UpnpGateway gateway,
            IPAddress? externalAddress,
            string connectionStatus,
            TimeSpan uptime,
            string lastConnectionError)
        {
            Gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            ExternalAddress = externalAddress;
            ConnectionStatus = connectionStatus ?? string.Empty;
            Uptime = uptime;
            LastConnectionError = lastConnectionError ?? string.Empty;
        }

        public UpnpGateway Gateway { get; }
        /// <summary>Null when the router has no external address (not connected, or it answered an empty value).</summary>
        public IPAddress? ExternalAddress { get; }
        /// <summary>NewConnectionStatus: Connected, Disconnected, Connecting, ...</summary>
        public string ConnectionStatus { get; }
        public TimeSpan Uptime { get; }
        public string LastConnectionError { get; }

        /// <summary>
        /// True when the external address is private, shared (100.64.0.0/10, carrier-grade NAT) or otherwise not
        /// reachable from the internet: the router sits behind another NAT and its mappings will not be reachable.
        /// </summary>
        public bool IsBehindAnotherNat => ExternalAddress != null && !AddressScope.IsPublic(ExternalAddress);

        /// <summary>What to tell the user when <see cref="IsBehindAnotherNat"/>; null otherwise.</summary>
        internal string? DoubleNatWarning()
        {
            if (!IsBehindAnotherNat)
            {
                return null;
            }

            var kind = AddressScope.IsSharedAddressSpace(ExternalAddress!) ? "in 100.64.0.0/10, the shared range of carrier-grade NAT" : "private";
            return "The router's external address " + ExternalAddress + " is " + kind + ": the router is itself behind "
                + "another NAT, so its port mappings will not be reachable from the internet.";
        }

        public override string ToString() => ExternalAddress?.ToString() ?? string.Empty;
    }
}
