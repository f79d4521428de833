using System;
using System.Net;

namespace PSUpnp.Tests.Engine.Ways
{
    /// <summary>Gateways as discovery builds them for each combination of ways, on the example network.</summary>
    internal static class WayGateways
    {
        public static readonly IPAddress Router = IPAddress.Parse("192.168.1.1");
        public static readonly IPAddress ThisHost = IPAddress.Parse("192.168.1.10");

        /// <summary>A router found by SSDP, answering the other ways given too.</summary>
        public static UpnpGateway Igd(params PortMappingMethod[] others) => new UpnpGateway(
            "Router", "Vendor", "Model", "uuid:ways", 2, "urn:schemas-upnp-org:service:WANIPConnection:2",
            new Uri("http://192.168.1.1:5000/ctl/IPConn"), new Uri("http://192.168.1.1:5000/rootDesc.xml"), null, ThisHost,
            null, null, null, others.Length == 0 ? null : Concat(PortMappingMethod.UpnpIgd, others));

        /// <summary>A router found only by PCP and/or NAT-PMP: no UPnP description.</summary>
        public static UpnpGateway Without(params PortMappingMethod[] methods) => new UpnpGateway(
            string.Empty, string.Empty, string.Empty, string.Empty, 0, null, null, null, null, ThisHost, null, null, Router, methods);

        private static PortMappingMethod[] Concat(PortMappingMethod first, PortMappingMethod[] rest)
        {
            var all = new PortMappingMethod[rest.Length + 1];
            all[0] = first;
            rest.CopyTo(all, 1);
            return all;
        }
    }
}
