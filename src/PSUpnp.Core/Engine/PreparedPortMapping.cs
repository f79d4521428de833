using PSUpnp.Igd;

namespace PSUpnp.Engine
{
    /// <summary>
    /// A port mapping request checked and with its defaults applied for one gateway (<see cref="UpnpEngine.PrepareAddition"/>):
    /// what will be sent, so that the cmdlet's ShouldProcess text and the request agree by construction.
    /// </summary>
    internal sealed class PreparedPortMapping
    {
        internal PreparedPortMapping(UpnpGateway gateway, PortMappingTarget target, bool force, bool isRenewal, PortMappingMethod method = PortMappingMethod.UpnpIgd, PortMappingMethod? methodAsked = null)
        {
            Method = method;
            MethodAsked = methodAsked;
            Gateway = gateway;
            Target = target;
            Force = force;
            IsRenewal = isRenewal;
        }

        public UpnpGateway Gateway { get; }
        internal PortMappingTarget Target { get; }
        public bool Force { get; }
        public bool IsRenewal { get; }

        /// <summary>The way the mapping will be asked for (<see cref="Ways.WayChoice"/>).</summary>
        public PortMappingMethod Method { get; }

        /// <summary>The way the caller named (-Method); null when the engine chose.</summary>
        public PortMappingMethod? MethodAsked { get; }

        /// <summary>The same mapping asked another way (PCP's fallback to NAT-PMP).</summary>
        internal PreparedPortMapping By(PortMappingMethod method) => new PreparedPortMapping(Gateway, Target, Force, IsRenewal, method, MethodAsked);

        /// <summary>"TCP 8080 -> 192.168.1.20:8080 on Router (192.168.1.1)": the mapping as it will be asked for.</summary>
        public override string ToString() => Target + " on " + Gateway.Label + (Method == PortMappingMethod.UpnpIgd ? string.Empty : " by " + Method);
    }
}
