using System;
using System.Collections.Generic;
using System.Globalization;
using PSUpnp.Igd;

namespace PSUpnp.Engine.Ways
{
    /// <summary>
    /// What PCP and NAT-PMP share once the router answered a MAP: the mapping as granted (its external port and
    /// lifetime may differ from the request), the change it made (a renewal that finds the router restarted is a
    /// re-creation, told in a warning), and the request's limits for these ways, checked before anything is sent.
    /// </summary>
    internal static class GrantedMapping
    {
        /// <summary>
        /// What a permanent mapping becomes by PCP or NAT-PMP, which have none: a week, the longest lease UPnP IGD v2
        /// grants, rather than the 136 years the field could carry (a forgotten mapping should still go away).
        /// </summary>
        public static readonly TimeSpan Longest = TimeSpan.FromDays(7);

        /// <summary>
        /// Refuses what these ways cannot do here: map for another host (the router maps for the sender's address only;
        /// PCP's THIRD_PARTY option is for servers that allow it, which home routers do not) or restrict the remote host
        /// (NAT-PMP cannot; PCP's FILTER option is not asked for: miniupnpd 2.3.1 maps without it).
        /// </summary>
        public static void Check(PreparedPortMapping mapping)
        {
            var target = mapping.Target;
            if (!target.InternalClient.Equals(mapping.Gateway.LocalAddress))
            {
                throw PortMappingTarget.Invalid(
                    "InternalClient",
                    mapping.Method + " maps ports only to the host that asks (" + mapping.Gateway.LocalAddress + "); " + target.InternalClient
                    + " is another host. Run the command on that host, or use -Method UpnpIgd where the router offers it.");
            }

            if (target.RemoteHost != null)
            {
                throw PortMappingTarget.Invalid(
                    "RemoteHost",
                    mapping.Method + " mappings are not restricted to one remote host here; omit -RemoteHost, or use -Method UpnpIgd where the router offers it.");
            }
        }

        /// <summary>The lifetime to ask for: the lease, or for a permanent one (which these ways do not have) the longest.</summary>
        public static TimeSpan Asked(PreparedPortMapping mapping, List<string> warnings)
        {
            if (mapping.Target.LeaseDuration != TimeSpan.Zero)
            {
                return mapping.Target.LeaseDuration;
            }

            warnings.Add(mapping.Method + " has no permanent mappings: a lease of a week was asked for instead; renew the mapping before it runs out (its ExpiresAt).");
            return Longest;
        }

        /// <summary>The router's answer as the module's result.</summary>
        public static PortMappingResult Result(
            PreparedPortMapping mapping, int externalPort, TimeSpan lifetime, DateTimeOffset receivedAt, bool routerRestarted, string? nonce, List<string> warnings, ITraceSink trace)
        {
            var target = mapping.Target;
            if (externalPort != target.ExternalPort)
            {
                warnings.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "The router gave external port {0} instead of {1} (the port asked for is taken or not allowed): the mapping is {2} {0} -> {3}:{4}.",
                    externalPort, target.ExternalPort, target.Protocol, target.InternalClient, target.InternalPort));
            }

            if (mapping.Target.LeaseDuration != TimeSpan.Zero && lifetime < mapping.Target.LeaseDuration)
            {
                warnings.Add("The router granted a lease of " + lifetime + " instead of " + mapping.Target.LeaseDuration + "; renew the mapping before it runs out (its ExpiresAt).");
            }

            var change = PortMappingChange.Created;
            if (mapping.IsRenewal)
            {
                // PCP and NAT-PMP cannot look a mapping up first: the router's epoch going back (it restarted and
                // forgot its mappings) is what says that the one being renewed had vanished and this MAP made it again.
                if (routerRestarted)
                {
                    var vanished = PortMappingMessages.Vanished(target);
                    trace.Trace(vanished);
                    warnings.Add(vanished);
                }
                else
                {
                    change = PortMappingChange.Renewed;
                }
            }
            else if (routerRestarted)
            {
                warnings.Add(RestartWarning(mapping.Gateway, mapping.Method));
            }

            var result = new UpnpPortMapping(
                mapping.Gateway, target.RemoteHost, externalPort, target.Protocol, target.InternalPort, target.InternalClient, true,
                string.Empty, lifetime, receivedAt + lifetime, mapping.Method, nonce);
            return new PortMappingResult(result, change, warnings);
        }

        /// <summary>What a user is told when a router's epoch went back between two calls of this session.</summary>
        public static string RestartWarning(UpnpGateway gateway, PortMappingMethod method) =>
            "The router " + gateway.Label + " restarted since this session last asked it (its " + method + " epoch went back): "
            + "the mappings made before are gone; make them again (Add-UpnpPortMapping -Renew).";
    }
}
