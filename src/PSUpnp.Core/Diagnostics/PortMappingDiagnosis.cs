using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace PSUpnp
{
    /// <summary>
    /// Test-UpnpPortMapping's answer to "why is this port not reachable?": every check in the order a fix is needed
    /// (the router first, then the mapping, then this host), and a one-line verdict naming the first thing to fix.
    /// </summary>
    public sealed class PortMappingDiagnosis
    {
        public PortMappingDiagnosis(
            int externalPort,
            PortMappingProtocol protocol,
            int internalPort,
            IPAddress? internalClient,
            UpnpGateway? gateway,
            UpnpPortMapping? mapping,
            IPAddress? externalAddress,
            IPAddress? publicAddress,
            IReadOnlyList<PortMappingCheck> checks,
            string verdict,
            GatewayDiagnostics? details = null)
        {
            ExternalPort = externalPort;
            Protocol = protocol;
            InternalPort = internalPort;
            InternalClient = internalClient;
            Gateway = gateway;
            Mapping = mapping;
            ExternalAddress = externalAddress;
            PublicAddress = publicAddress;
            Checks = (checks ?? throw new ArgumentNullException(nameof(checks))).ToList().AsReadOnly();
            Verdict = verdict ?? throw new ArgumentNullException(nameof(verdict));
            Details = details;
        }

        public int ExternalPort { get; }

        public PortMappingProtocol Protocol { get; }

        /// <summary>The internal port the mapping should lead to: -InternalPort, else the mapping's, else the external port.</summary>
        public int InternalPort { get; }

        /// <summary>This host's address toward the gateway: where the mapping should lead; null when no gateway answered.</summary>
        public IPAddress? InternalClient { get; }

        /// <summary>The gateway asked; null when none answered.</summary>
        public UpnpGateway? Gateway { get; }

        /// <summary>The mapping as the router holds it; null when it has none for this port and protocol.</summary>
        public UpnpPortMapping? Mapping { get; }

        /// <summary>The external address the gateway reports.</summary>
        public IPAddress? ExternalAddress { get; }

        /// <summary>The address the STUN server saw this host come from.</summary>
        public IPAddress? PublicAddress { get; }

        public IReadOnlyList<PortMappingCheck> Checks { get; }

        /// <summary>True when no check failed: nothing this host can see stops the port; only a test from outside proves it.</summary>
        public bool Passed => Checks.All(c => c.Result != PortMappingCheckResult.Failed);

        /// <summary>The first thing to fix, in one line; or that nothing visible from here is wrong.</summary>
        public string Verdict { get; }

        /// <summary>With -Detailed: what a helper needs for a support ticket (discovery, the router, every fault met); null otherwise.</summary>
        public GatewayDiagnostics? Details { get; }

        /// <summary>The first failed check; null when none failed.</summary>
        public PortMappingCheck? FirstFailure => Checks.FirstOrDefault(c => c.Result == PortMappingCheckResult.Failed);

        public override string ToString() => Protocol + " " + ExternalPort + ": " + Verdict;
    }
}
