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
            string lastConnectionError,
            bool? isHeldByGateway = null,
            string? holderEvidence = null)
        {
            Gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            ExternalAddress = externalAddress;
            ConnectionStatus = connectionStatus ?? string.Empty;
            Uptime = uptime;
            LastConnectionError = lastConnectionError ?? string.Empty;
            IsHeldByGateway = isHeldByGateway;
            HolderEvidence = holderEvidence ?? string.Empty;
        }

        public UpnpGateway Gateway { get; }
        /// <summary>Null when the router has no external address (not connected, or it answered an empty value).</summary>
        public IPAddress? ExternalAddress { get; }
        /// <summary>NewConnectionStatus: Connected, Disconnected, Connecting, ...</summary>
        public string ConnectionStatus { get; }
        public TimeSpan Uptime { get; }
        public string LastConnectionError { get; }

        /// <summary>
        /// True when the gateway itself holds <see cref="ExternalAddress"/>; false when it forwards packets for it onward,
        /// so that another NAT beyond it (carrier-grade NAT, the provider's box) holds it, as a router that learnt its
        /// public address by STUN reports; null when not checked or the check could not tell.
        /// </summary>
        public bool? IsHeldByGateway { get; }

        /// <summary>How <see cref="IsHeldByGateway"/> was found, in words; empty when not checked.</summary>
        public string HolderEvidence { get; }

        /// <summary>
        /// True when the external address is private, shared (100.64.0.0/10, carrier-grade NAT) or otherwise not
        /// reachable from the internet: the router sits behind another NAT and its mappings will not be reachable.
        /// </summary>
        public bool IsBehindAnotherNat => ExternalAddress != null && (!AddressScope.IsPublic(ExternalAddress) || IsHeldByGateway == false);

        /// <summary>What to tell the user when <see cref="IsBehindAnotherNat"/>; null otherwise.</summary>
        internal string? DoubleNatWarning()
        {
            if (!IsBehindAnotherNat)
            {
                return null;
            }

            if (AddressScope.IsPublic(ExternalAddress!))
            {
                return "The router reports the external address " + ExternalAddress + " but does not hold it: " + HolderEvidence
                    + ". The router is behind another NAT, so its port mappings will not be reachable from the internet; "
                    + "put the provider's box in bridge mode, ask the provider for a public address, or map the port on the outer NAT too.";
            }

            var kind = AddressScope.IsSharedAddressSpace(ExternalAddress!) ? "in 100.64.0.0/10, the shared range of carrier-grade NAT" : "private";
            return "The router's external address " + ExternalAddress + " is " + kind + ": the router is itself behind "
                + "another NAT, so its port mappings will not be reachable from the internet.";
        }

        /// <summary>The same answer with the finding of who holds the address.</summary>
        internal UpnpExternalAddress WithHolder(bool? isHeldByGateway, string evidence) =>
            new UpnpExternalAddress(Gateway, ExternalAddress, ConnectionStatus, Uptime, LastConnectionError, isHeldByGateway, evidence);

        public override string ToString() => ExternalAddress?.ToString() ?? string.Empty;
    }
}
