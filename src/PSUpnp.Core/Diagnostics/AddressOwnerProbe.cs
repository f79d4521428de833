using System;
using System.Net;
using System.Net.NetworkInformation;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;

namespace PSUpnp.Diagnostics
{
    /// <summary>Whether the gateway itself holds the external address it reports, as <see cref="AddressOwnerProbe"/> found.</summary>
    internal enum AddressOwner
    {
        /// <summary>Not checked, or the probe could not tell (ICMP not allowed, no answer, another hop answered).</summary>
        Unknown,

        /// <summary>The gateway answered an echo to the address itself: it holds it, no NAT lies beyond it.</summary>
        Gateway,

        /// <summary>The gateway forwarded an echo to the address onward: another NAT beyond it holds the address.</summary>
        BeyondGateway,
    }

    /// <summary>
    /// Tells whether the gateway holds its external address or only reports one that another NAT beyond it holds: a
    /// router behind carrier-grade NAT or behind the provider's box that learnt its public address by STUN (miniupnpd's
    /// ext_perform_stun) reports the very address STUN sees, so comparing addresses cannot tell; where the packet goes
    /// can. One ICMP echo to the external address with TTL 1: the gateway that holds the address answers it itself
    /// (echo reply); one that must forward it drops it and says "time exceeded" from its LAN address. It costs one
    /// round trip on the LAN (about a millisecond), bounded by <see cref="Bound"/>, so Add-UpnpPortMapping can afford it
    /// once per run and gateway. Only when the gateway is the first hop does the answer mean something; a probe that
    /// cannot be sent (ICMP not permitted) or gets no answer says Unknown, never a finding.
    /// </summary>
    internal static class AddressOwnerProbe
    {
        /// <summary>An echo on the LAN comes back within milliseconds; a gateway that filters ICMP must not hold a call up.</summary>
        public static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

        private static readonly byte[] Payload = new byte[16];

        /// <summary>
        /// The answer with the finding of who holds its address: a private or shared address (or none) already says
        /// what there is to say, so only a public one is probed.
        /// </summary>
        public static async Task<UpnpExternalAddress> CheckAsync(UpnpExternalAddress answer, TimeSpan timeout, ITraceSink trace, CancellationToken cancellationToken)
        {
            if (answer.ExternalAddress == null || !AddressScope.IsPublic(answer.ExternalAddress))
            {
                return answer;
            }

            var (owner, evidence) = await ProbeAsync(answer.Gateway, answer.ExternalAddress, timeout, trace, cancellationToken).ConfigureAwait(false);
            return answer.WithHolder(owner == AddressOwner.Unknown ? (bool?)null : owner == AddressOwner.Gateway, evidence);
        }

        /// <returns>Who holds <paramref name="external"/>, and the evidence in words (for the trace and the diagnosis).</returns>
        public static async Task<(AddressOwner Owner, string Evidence)> ProbeAsync(UpnpGateway gateway, IPAddress external, TimeSpan timeout, ITraceSink trace, CancellationToken cancellationToken)
        {
            if (!(gateway.Address is IPAddress gatewayAddress))
            {
                return Traced(trace, AddressOwner.Unknown, "the gateway is named by a host name, so the hop that answers cannot be compared with it");
            }

            if (IPAddress.IsLoopback(gatewayAddress))
            {
                // A gateway on this host (a test double, a local proxy) forwards nothing: no echo would tell anything.
                return Traced(trace, AddressOwner.Unknown, "the gateway is on this host (" + gatewayAddress + "), so no hop can be compared with it");
            }

            var bound = timeout < Bound ? timeout : Bound;
            PingReply reply;
            using (var ping = new Ping())
            using (cancellationToken.Register(ping.SendAsyncCancel))
            {
                try
                {
                    reply = await ping.SendPingAsync(external, (int)bound.TotalMilliseconds, Payload, new PingOptions(1, true)).ConfigureAwait(false);
                }
                catch (PingException e)
                {
                    // Linux without raw sockets or an ICMP datagram socket, and no ping program: nothing can be told.
                    return Traced(trace, AddressOwner.Unknown, "an ICMP echo could not be sent (" + (e.InnerException ?? e).Message + ")");
                }
                catch (InvalidOperationException e)
                {
                    return Traced(trace, AddressOwner.Unknown, "an ICMP echo could not be sent (" + e.Message + ")");
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            var from = reply.Address == null ? null : MappedAddress.Unmap(reply.Address);
            if (reply.Status == IPStatus.Success)
            {
                return Traced(trace, AddressOwner.Gateway, "an ICMP echo to " + external + " with TTL 1 was answered by " + (from?.ToString() ?? external.ToString()) + " itself, so the gateway holds that address");
            }

            if (reply.Status == IPStatus.TtlExpired && gatewayAddress.Equals(from))
            {
                return Traced(trace, AddressOwner.BeyondGateway, "an ICMP echo to " + external + " with TTL 1 expired at the gateway " + from
                    + ", which forwarded it onward: the address belongs to another NAT beyond the gateway (carrier-grade NAT or the provider's router)");
            }

            if (reply.Status == IPStatus.TtlExpired)
            {
                return Traced(trace, AddressOwner.Unknown, "an ICMP echo to " + external + " with TTL 1 expired at " + from + ", which is not the gateway " + gatewayAddress + " (another router lies between this host and the gateway)");
            }

            return Traced(trace, AddressOwner.Unknown, "an ICMP echo to " + external + " with TTL 1 got no usable answer (" + reply.Status + ") within " + (int)bound.TotalMilliseconds + " ms");
        }

        private static (AddressOwner, string) Traced(ITraceSink trace, AddressOwner owner, string evidence)
        {
            trace.Trace("Address owner: " + evidence + ".");
            return (owner, evidence);
        }
    }
}
