using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Igd
{
    /// <summary>
    /// Removes one mapping the same way on every router: one that holds no such mapping is UpnpMappingNotFound
    /// (ObjectNotFound), although some routers (miniupnpd) answer such a DeletePortMapping with success and others with
    /// 714. So the mapping is looked up first; only a router that cannot answer the look is asked to delete directly,
    /// and then its answer decides.
    /// </summary>
    internal static class PortMappingRemoval
    {
        /// <summary>The mapping as the router held it; null when removed from a router that could not say what it held.</summary>
        public static async Task<UpnpPortMapping?> RemoveAsync(IIgdActions client, IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, CancellationToken cancellationToken)
        {
            UpnpPortMapping? held;
            try
            {
                held = await client.GetSpecificPortMappingAsync(remoteHost, externalPort, protocol, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpException ex) when (IgdFaults.IsDeviceRefusal(ex))
            {
                client.Trace.Trace("Could not look up the mapping before removing it (" + ex.ErrorId + "); deleting directly.");
                try
                {
                    await client.DeletePortMappingAsync(remoteHost, externalPort, protocol, cancellationToken).ConfigureAwait(false);
                    return null;
                }
                catch (UpnpFaultException fault) when (IgdFaults.IsNoSuchEntry(fault))
                {
                    throw NotFound(client.Gateway, remoteHost, externalPort, protocol, fault);
                }
            }

            if (held == null)
            {
                throw NotFound(client.Gateway, remoteHost, externalPort, protocol, null);
            }

            try
            {
                await client.DeletePortMappingAsync(remoteHost, externalPort, protocol, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException fault) when (IgdFaults.IsNoSuchEntry(fault))
            {
                // It went (its lease ran out, another client removed it) between the look and the delete.
                throw NotFound(client.Gateway, remoteHost, externalPort, protocol, fault);
            }

            return held;
        }

        private static UpnpException NotFound(UpnpGateway gateway, IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, UpnpException? cause) =>
            new UpnpException(UpnpErrors.MappingNotFound, PortMappingMessages.NotFound(gateway, remoteHost, externalPort, protocol), gateway.ControlUrl, cause);
    }
}
