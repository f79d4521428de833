using System;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using PSUpnp.Igd;
using PSUpnp.Pcp;

namespace PSUpnp.Engine.Ways
{
    /// <summary>The PCP nonce of a mapping this module makes, renews or removes.</summary>
    internal static class DerivedNonce
    {
        /// <summary>
        /// The nonce a mapping object carried (its PcpNonce), or without one the nonce derived from what names the mapping
        /// on the router: the internal client, internal port and protocol. Derived rather than drawn at random because
        /// PCP renews or deletes a mapping only with the nonce it was made with (RFC 6887 11.3: NOT_AUTHORIZED otherwise),
        /// and a renewal often runs in another process (a scheduled task) that knows only the port and protocol: a random
        /// nonce would die with the process that drew it, and the mapping could be neither renewed nor removed until it
        /// expired. What the nonce guards against is another host's request for the same mapping; the PCP server already
        /// takes a MAP only from the internal client's own address, so a host that could use a derived nonce must be able
        /// to send as this host, and could as well map the port for itself. Every mapping this module makes uses it, so a
        /// derived nonce always finds the mapping a saved one names.
        /// </summary>
        public static PcpNonce Of(IPAddress internalClient, int internalPort, PortMappingProtocol protocol, string? carried)
        {
            if (carried != null)
            {
                try
                {
                    return PcpNonce.Parse(carried);
                }
                catch (FormatException e)
                {
                    throw PortMappingTarget.Invalid("PcpNonce", "The mapping's PcpNonce '" + carried + "' is not a PCP nonce: " + e.Message + " Give the mapping as Add-UpnpPortMapping returned it, or only its port and protocol.");
                }
            }

            var text = "PSUpnp PCP MAP nonce|" + internalClient + "|" + protocol + "|" + internalPort.ToString(CultureInfo.InvariantCulture);
            using (var sha = SHA256.Create())
            {
                return PcpNonce.FromBytes(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
            }
        }
    }
}
