using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;
using PSUpnp.Soap;

namespace PSUpnp.Igd
{
    /// <summary>
    /// Drives one gateway's WANIPConnection or WANPPPConnection service over SOAP. Sends one action at a time, as the
    /// action table (<see cref="IgdAction"/>) says; the operations of several actions (add or renew, read the table,
    /// remove) are their own classes. Safe to use from many threads.
    /// </summary>
    internal sealed class IgdClient : IIgdActions
    {
        private readonly SoapControl _control;

        /// <summary>
        /// A client whose every exchange with the router is bounded by <paramref name="timeout"/> (the cmdlets'
        /// -TimeoutSec), <see cref="HttpLimits.DefaultTimeout"/> when not given: a router that takes longer to act
        /// needs a larger one.
        /// </summary>
        public IgdClient(UpnpGateway gateway, ITraceSink? trace = null, ISystemClock? clock = null, TimeSpan? timeout = null)
            : this(gateway, trace, clock, HttpLimits.Control.WithTimeout(Positive(timeout ?? HttpLimits.DefaultTimeout)))
        {
        }

        /// <summary>Tests shorten the limits to prove timeouts and caps without waiting seconds.</summary>
        internal IgdClient(UpnpGateway gateway, ITraceSink? trace, ISystemClock? clock, HttpLimits limits)
        {
            Gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            Trace = trace ?? NullTraceSink.Instance;
            Clock = clock ?? SystemClock.Instance;
            // Only a router that answered UPnP IGD has a connection service to control; the engine chooses another way for the rest.
            _control = new SoapControl(
                gateway.ControlUrl ?? throw new ArgumentException("The gateway " + gateway + " did not answer UPnP IGD: it has no control URL.", nameof(gateway)),
                gateway.ServiceType!,
                Trace, limits ?? throw new ArgumentNullException(nameof(limits)));
        }

        public UpnpGateway Gateway { get; }

        /// <summary>The bound of each exchange with the router.</summary>
        public TimeSpan Timeout => _control.Timeout;
        public ITraceSink Trace { get; }
        public ISystemClock Clock { get; }

        private static TimeSpan Positive(TimeSpan timeout) =>
            timeout > TimeSpan.Zero ? timeout : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");

        /// <summary>
        /// GetExternalIPAddress and GetStatusInfo, asked at once. An empty, unparsable or 0.0.0.0 address gives a null
        /// ExternalAddress; a router that does not implement GetStatusInfo gives an empty status.
        /// </summary>
        public async Task<UpnpExternalAddress> GetExternalAddressAsync(CancellationToken cancellationToken)
        {
            var addressTask = SendAsync(IgdAction.GetExternalIPAddress, IgdAction.GetExternalIPAddress.With(), cancellationToken);
            var statusTask = TryGetStatusInfoAsync(cancellationToken);
            // WhenAll observes both failures; the address's comes first, since that is the one the caller asked for.
            await Task.WhenAll((Task)addressTask, statusTask).ConfigureAwait(false);

            return ExternalAddressReader.Read(await addressTask.ConfigureAwait(false), await statusTask.ConfigureAwait(false), Gateway, Trace);
        }

        /// <summary>Adds or renews a mapping (idempotent for the same client), following the lease rules of IGD v1 and v2.</summary>
        public Task<PortMappingResult> AddPortMappingAsync(PortMappingRequest request, CancellationToken cancellationToken) =>
            PortMappingAddition.RunAsync(this, request, cancellationToken);

        /// <summary>The whole table: GetListOfPortMappings on v2, else GetGenericPortMappingEntry until the end. Progress reports entries read so far.</summary>
        public Task<IReadOnlyList<UpnpPortMapping>> GetPortMappingsAsync(IProgress<int>? progress, CancellationToken cancellationToken) =>
            new PortMappingTableReader(this).ReadAsync(progress, cancellationToken);

        /// <summary>
        /// Removes one mapping and returns it as the router held it, the same way on every router: one that holds no
        /// such mapping is an UpnpMappingNotFound error (ObjectNotFound). Null: removed, but not known as what.
        /// </summary>
        public Task<UpnpPortMapping?> RemovePortMappingAsync(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, CancellationToken cancellationToken) =>
            PortMappingRemoval.RemoveAsync(this, remoteHost, externalPort, protocol, cancellationToken);

        /// <summary>
        /// The DeletePortMapping action alone. Routers differ when they hold no such mapping (UpnpFaultException 714, or
        /// success from miniupnpd); <see cref="RemovePortMappingAsync"/> gives every caller one answer.
        /// </summary>
        public async Task DeletePortMappingAsync(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, CancellationToken cancellationToken)
        {
            PortMappingTarget.CheckPort(externalPort, "ExternalPort", 1);
            try
            {
                await SendAsync(IgdAction.DeletePortMapping, IgdAction.Key(remoteHost, externalPort, protocol), cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex) when (IgdFaults.IsNoSuchEntry(ex) && ex.RequestWasResent)
            {
                // The first copy removed the mapping; its answer was lost, and the copy sent again found nothing left.
                Trace.Trace(PortMappingMessages.EarlierDeleteApplied(externalPort, protocol));
            }
        }

        /// <summary>Null when the router holds no such mapping.</summary>
        public async Task<UpnpPortMapping?> GetSpecificPortMappingAsync(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, CancellationToken cancellationToken)
        {
            PortMappingTarget.CheckPort(externalPort, "ExternalPort", 1);
            var action = IgdAction.GetSpecificPortMappingEntry;
            SoapResponse response;
            try
            {
                response = await SendAsync(action, IgdAction.Key(remoteHost, externalPort, protocol), cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex) when (IgdFaults.IsNoSuchEntry(ex))
            {
                return null;
            }

            return PortMappingReader.Specific(response, Gateway, Clock.UtcNow, remoteHost, externalPort, protocol, action.Name);
        }

        /// <summary>One action, resent after a lost answer only as the action table allows.</summary>
        public Task<SoapResponse> SendAsync(IgdAction action, IReadOnlyList<KeyValuePair<string, string>> arguments, CancellationToken cancellationToken) =>
            _control.InvokeAsync(action.Name, arguments, action.Resend, cancellationToken);

        private async Task<SoapResponse?> TryGetStatusInfoAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await SendAsync(IgdAction.GetStatusInfo, IgdAction.GetStatusInfo.With(), cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex)
            {
                Trace.Trace("GetStatusInfo failed (" + ex.ErrorId + "); the connection status is unknown.");
                return null;
            }
        }
    }
}
