using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;
using PSUpnp.Soap;

namespace PSUpnp.Igd
{
    /// <summary>Drives one gateway's WANIPConnection or WANPPPConnection service over SOAP. Safe to use from many threads.</summary>
    public sealed class IgdClient
    {
        // Ports asked per GetListOfPortMappings page; devices may cap it lower, and paging carries on from there.
        private const int ListPageSize = 1000;

        // miniupnpd 2.3.1 with nftables (Debian's, and common router firmware) lists at most 128 mappings right: past that
        // GetListOfPortMappings returns a short, wrong list, whatever the page size, and from about 133 it kills the
        // daemon, which then forgets every client's mappings. A longer table is read entry by entry instead.
        private const int ListSafeEntries = 128;

        // A table cannot hold more distinct mappings than this; a device that never ends iteration is stopped here.
        private const int MaxGenericEntries = 65536;

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
            _control = new SoapControl(gateway.ControlUrl, gateway.ServiceType, Trace, limits ?? throw new ArgumentNullException(nameof(limits)));
        }

        public UpnpGateway Gateway { get; }

        /// <summary>The bound of each exchange with the router.</summary>
        public TimeSpan Timeout => _control.Timeout;
        internal ITraceSink Trace { get; }
        internal ISystemClock Clock { get; }

        private bool IsV2 => Gateway.ServiceVersion >= 2;

        private static TimeSpan Positive(TimeSpan timeout) =>
            timeout > TimeSpan.Zero ? timeout : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");

        /// <summary>
        /// GetExternalIPAddress and GetStatusInfo, asked at once. An empty, unparsable or 0.0.0.0 address gives a null
        /// ExternalAddress; a router that does not implement GetStatusInfo gives an empty status.
        /// </summary>
        public async Task<UpnpExternalAddress> GetExternalAddressAsync(CancellationToken cancellationToken)
        {
            var addressTask = _control.InvokeAsync(IgdActions.GetExternalIPAddress, IgdActions.None, cancellationToken);
            var statusTask = TryGetStatusInfoAsync(cancellationToken);
            // WhenAll observes both failures; the address's comes first, since that is the one the caller asked for.
            await Task.WhenAll((Task)addressTask, statusTask).ConfigureAwait(false);

            return ExternalAddressReader.Read(await addressTask.ConfigureAwait(false), await statusTask.ConfigureAwait(false), Gateway, Trace);
        }

        /// <summary>Adds or renews a mapping (idempotent for the same client), following the lease rules of IGD v1 and v2.</summary>
        public async Task<PortMappingResult> AddPortMappingAsync(PortMappingRequest request, CancellationToken cancellationToken)
        {
            var target = PortMappingTarget.From(request, Gateway.LocalAddress, allowAnyExternalPort: false);
            var warnings = new List<string>();
            var existing = await PreviewAsync(target, cancellationToken).ConfigureAwait(false);
            PortMappingChange change;
            if (existing == null)
            {
                change = PortMappingChange.Created;
                try
                {
                    await AddWithLeaseRulesAsync(IgdActions.AddPortMapping, target, warnings, cancellationToken).ConfigureAwait(false);
                }
                catch (UpnpFaultException ex) when (ex.ErrorCode == UpnpFaultCodes.ConflictInMappingEntry)
                {
                    // The port was taken between our look and our add, or the look could not see it: look again,
                    // once, to name the holder or renew our own.
                    existing = await GetSpecificPortMappingAsync(target.RemoteHost, target.ExternalPort, target.Protocol, cancellationToken).ConfigureAwait(false);
                    if (existing == null)
                    {
                        throw;
                    }

                    if (ex.RequestWasResent && target.IsSameClient(existing))
                    {
                        TraceEarlierCopyApplied(target);
                    }
                    else
                    {
                        change = await UpdateExistingAsync(existing, target, request.Force, warnings, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            else
            {
                change = await UpdateExistingAsync(existing, target, request.Force, warnings, cancellationToken).ConfigureAwait(false);
            }

            if (request.IsRenewal && change == PortMappingChange.Created)
            {
                var vanished = "The mapping " + target + " that was being renewed was no longer on the router (it may have restarted or dropped it); it has been created again.";
                Trace.Trace(vanished);
                warnings.Add(vanished);
            }

            var mapping = await ReadBackAsync(target, IgdActions.AddPortMapping, warnings, cancellationToken).ConfigureAwait(false);
            return new PortMappingResult(mapping, change, warnings);
        }

        /// <summary>
        /// IGD v2 AddAnyPortMapping: the router picks a free external port near the one asked for, and the result holds
        /// the port actually reserved. On a v1 service, or a v2 device that does not implement the action, the
        /// requested port is added with AddPortMapping instead, and a warning says so.
        /// </summary>
        public async Task<PortMappingResult> AddAnyPortMappingAsync(PortMappingRequest request, CancellationToken cancellationToken)
        {
            var target = PortMappingTarget.From(request, Gateway.LocalAddress, allowAnyExternalPort: true);
            if (!IsV2)
            {
                return await AddInsteadOfAnyAsync(request, "the router's service is IGD v1, which has no AddAnyPortMapping", cancellationToken).ConfigureAwait(false);
            }

            var warnings = new List<string>();
            SoapResponse response;
            try
            {
                response = await AddWithLeaseRulesAsync(IgdActions.AddAnyPortMapping, target, warnings, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex) when (ex.ErrorCode == UpnpFaultCodes.InvalidAction || ex.ErrorCode == UpnpFaultCodes.OptionalActionNotImplemented)
            {
                return await AddInsteadOfAnyAsync(request, "the router does not implement AddAnyPortMapping (UPnP error " + ex.ErrorCode.ToString(CultureInfo.InvariantCulture) + ")", cancellationToken).ConfigureAwait(false);
            }

            var text = (response.Get("NewReservedPort") ?? response.BareText).Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var reserved) || reserved < 1 || reserved > 65535)
            {
                throw SoapErrors.Malformed(IgdActions.AddAnyPortMapping, Gateway.ControlUrl, "NewReservedPort is '" + text + "', which is not a port", null);
            }

            var mapping = await ReadBackAsync(target.WithExternalPort(reserved), IgdActions.AddAnyPortMapping, warnings, cancellationToken).ConfigureAwait(false);
            return new PortMappingResult(mapping, PortMappingChange.Created, warnings);
        }

        /// <summary>
        /// The DeletePortMapping action alone. Routers differ when they hold no such mapping (UpnpFaultException 714, or
        /// success from miniupnpd); <see cref="RemovePortMappingAsync"/> gives every caller one answer.
        /// </summary>
        public async Task DeletePortMappingAsync(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, CancellationToken cancellationToken)
        {
            PortMappingTarget.CheckPort(externalPort, "ExternalPort", 1);
            try
            {
                // A delete may go again after silence too: a second copy removes nothing more, and its 714 is recognised below.
                await _control.InvokeAsync(IgdActions.DeletePortMapping, IgdActions.Key(remoteHost, externalPort, protocol), cancellationToken, HttpResend.AfterClosing).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex) when (ex.ErrorCode == UpnpFaultCodes.NoSuchEntryInArray && ex.RequestWasResent)
            {
                // The first copy removed the mapping; its answer was lost, and the copy sent again found nothing left.
                Trace.Trace("DeletePortMapping " + IgdActions.Protocol(protocol) + " " + externalPort.ToString(CultureInfo.InvariantCulture)
                    + " was sent again after its answer was lost and then answered 714: the first copy removed it.");
            }
        }

        /// <summary>
        /// Removes one mapping and returns it as the router held it, the same way on every router: one that holds no
        /// such mapping is an UpnpMappingNotFound error (ObjectNotFound), although some routers (miniupnpd) answer such a
        /// DeletePortMapping with success and others with 714. So the mapping is looked up first; only a router that cannot
        /// answer the look is asked to delete directly, and then its answer decides (null: removed, but not known as what).
        /// </summary>
        public async Task<UpnpPortMapping?> RemovePortMappingAsync(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, CancellationToken cancellationToken)
        {
            UpnpPortMapping? held;
            try
            {
                held = await GetSpecificPortMappingAsync(remoteHost, externalPort, protocol, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpException ex) when (IsDeviceRefusal(ex))
            {
                Trace.Trace("Could not look up the mapping before removing it (" + ex.ErrorId + "); deleting directly.");
                try
                {
                    await DeletePortMappingAsync(remoteHost, externalPort, protocol, cancellationToken).ConfigureAwait(false);
                    return null;
                }
                catch (UpnpFaultException fault) when (fault.ErrorCode == UpnpFaultCodes.NoSuchEntryInArray)
                {
                    throw MappingNotFound(remoteHost, externalPort, protocol, fault);
                }
            }

            if (held == null)
            {
                throw MappingNotFound(remoteHost, externalPort, protocol, null);
            }

            try
            {
                await DeletePortMappingAsync(remoteHost, externalPort, protocol, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException fault) when (fault.ErrorCode == UpnpFaultCodes.NoSuchEntryInArray)
            {
                // It went (its lease ran out, another client removed it) between the look and the delete.
                throw MappingNotFound(remoteHost, externalPort, protocol, fault);
            }

            return held;
        }

        private UpnpException MappingNotFound(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, UpnpException? cause) => new UpnpException(
            UpnpErrors.MappingNotFound,
            "The router " + Gateway.FriendlyName + " (" + Gateway.ControlUrl.Host + ") holds no " + IgdActions.Protocol(protocol) + " mapping of external port "
                + externalPort.ToString(CultureInfo.InvariantCulture) + (remoteHost == null ? string.Empty : " from " + remoteHost) + "; nothing was removed.",
            Gateway.ControlUrl,
            cause);

        /// <summary>
        /// Deletes the mappings of one protocol in a port range: this host's only, or with <paramref name="manage"/> every
        /// client's. The table is listed and each mapping in the range deleted, on v1 and v2 alike: the IGD v2 action
        /// DeletePortMappingRange is never sent, because miniupnpd 2.3.1 with the nftables backend (Debian's, and a
        /// common router firmware) dies on it, empty range or not, and a router that restarts forgets every client's
        /// mappings. One listing and one exchange per mapping is a small price for that.
        /// </summary>
        public async Task DeletePortMappingRangeAsync(int startPort, int endPort, PortMappingProtocol protocol, bool manage, CancellationToken cancellationToken)
        {
            PortMappingTarget.CheckPort(startPort, "StartPort", 1);
            PortMappingTarget.CheckPort(endPort, "EndPort", 1);
            if (startPort > endPort)
            {
                throw PortMappingTarget.Invalid("StartPort", "StartPort must not be greater than EndPort.");
            }

            var mappings = await GetPortMappingsAsync(null, cancellationToken).ConfigureAwait(false);
            foreach (var m in mappings)
            {
                if (m.Protocol == protocol && m.ExternalPort >= startPort && m.ExternalPort <= endPort
                    && (manage || m.InternalClient.Equals(Gateway.LocalAddress)))
                {
                    await DeletePortMappingAsync(m.RemoteHost, m.ExternalPort, m.Protocol, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>Null when the router holds no such mapping.</summary>
        public async Task<UpnpPortMapping?> GetSpecificPortMappingAsync(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, CancellationToken cancellationToken)
        {
            PortMappingTarget.CheckPort(externalPort, "ExternalPort", 1);
            SoapResponse response;
            try
            {
                response = await _control.InvokeAsync(IgdActions.GetSpecificPortMappingEntry, IgdActions.Key(remoteHost, externalPort, protocol), cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex) when (ex.ErrorCode == UpnpFaultCodes.NoSuchEntryInArray)
            {
                return null;
            }

            return PortMappingReader.Specific(response, Gateway, Clock.UtcNow, remoteHost, externalPort, protocol, IgdActions.GetSpecificPortMappingEntry);
        }

        /// <summary>The whole table: GetListOfPortMappings on v2, else GetGenericPortMappingEntry until the end. Progress reports entries read so far.</summary>
        public async Task<IReadOnlyList<UpnpPortMapping>> GetPortMappingsAsync(IProgress<int>? progress, CancellationToken cancellationToken)
        {
            if (IsV2)
            {
                if (await HoldsMoreThanAsync(ListSafeEntries, cancellationToken).ConfigureAwait(false))
                {
                    Trace.Trace("The table holds more than " + ListSafeEntries.ToString(CultureInfo.InvariantCulture)
                        + " mappings: reading it entry by entry, since GetListOfPortMappings lists such a table wrongly on some routers and kills miniupnpd 2.3.1.");
                }
                else
                {
                    try
                    {
                        return await ListAsync(progress, cancellationToken).ConfigureAwait(false);
                    }
                    catch (UpnpException ex) when (IsDeviceRefusal(ex))
                    {
                        // Many devices advertise v2 and then fail its actions; the v1 iteration serves them.
                        Trace.Trace("GetListOfPortMappings failed (" + ex.ErrorId + "); reading the table entry by entry instead.");
                    }
                }
            }

            return await IterateAsync(progress, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>One GetGenericPortMappingEntry at that index: true when the table holds an entry there.</summary>
        private async Task<bool> HoldsMoreThanAsync(int entries, CancellationToken cancellationToken)
        {
            SoapResponse response;
            try
            {
                response = await _control.InvokeAsync(IgdActions.GetGenericPortMappingEntry, IgdActions.Generic(entries), cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex) when (IsEndOfTable(ex.ErrorCode))
            {
                return false;
            }
            catch (UpnpException ex) when (IsDeviceRefusal(ex))
            {
                // A device that cannot say: its v2 listing is all there is to read the table with.
                Trace.Trace("Could not tell how long the table is (" + ex.ErrorId + "); listing it with GetListOfPortMappings.");
                return false;
            }

            // Only a readable entry counts: an answer that carries none says nothing about the table's length.
            try
            {
                PortMappingReader.Entry(response, Gateway, Clock.UtcNow, PortMappingReader.Names.Action, IgdActions.GetGenericPortMappingEntry);
                return true;
            }
            catch (UpnpMalformedResponseException)
            {
                return false;
            }
        }

        // TCP and UDP are listed at once: two round trips' wait instead of three for a table that fits one page.
        private async Task<IReadOnlyList<UpnpPortMapping>> ListAsync(IProgress<int>? progress, CancellationToken cancellationToken)
        {
            var counter = new ProgressCounter(progress);
            var tcp = ListProtocolAsync(PortMappingProtocol.TCP, counter, cancellationToken);
            var udp = ListProtocolAsync(PortMappingProtocol.UDP, counter, cancellationToken);
            await Task.WhenAll(tcp, udp).ConfigureAwait(false);

            var result = new List<UpnpPortMapping>(await tcp.ConfigureAwait(false));
            result.AddRange(await udp.ConfigureAwait(false));
            return result;
        }

        private async Task<List<UpnpPortMapping>> ListProtocolAsync(PortMappingProtocol protocol, ProgressCounter counter, CancellationToken cancellationToken)
        {
            var result = new List<UpnpPortMapping>();
            var start = 1;
            while (start <= 65535)
            {
                SoapResponse response;
                try
                {
                    response = await _control.InvokeAsync(IgdActions.GetListOfPortMappings, IgdActions.List(start, 65535, protocol, ListPageSize), cancellationToken).ConfigureAwait(false);
                }
                catch (UpnpFaultException ex) when (IsEndOfList(ex.ErrorCode))
                {
                    break;
                }

                var entries = PortMappingListParser.Parse(response.Get("NewPortListing") ?? string.Empty, IgdActions.GetListOfPortMappings, Gateway.ControlUrl);
                var now = Clock.UtcNow;
                var highest = 0;
                var added = 0;
                foreach (var entry in entries)
                {
                    var mapping = TryRead(entry, now, PortMappingReader.Names.ListEntry, IgdActions.GetListOfPortMappings);
                    if (mapping != null && mapping.ExternalPort >= start && mapping.Protocol == protocol)
                    {
                        result.Add(mapping);
                        added++;
                        highest = Math.Max(highest, mapping.ExternalPort);
                    }
                }

                counter.Add(added);

                // A device may cap a page below what was asked without saying so: carry on after the highest port
                // seen until a page brings nothing new.
                if (highest == 0)
                {
                    break;
                }

                start = highest + 1;
            }

            return result;
        }

        private async Task<IReadOnlyList<UpnpPortMapping>> IterateAsync(IProgress<int>? progress, CancellationToken cancellationToken)
        {
            var result = new List<UpnpPortMapping>();
            for (var index = 0; index < MaxGenericEntries; index++)
            {
                SoapResponse response;
                try
                {
                    response = await _control.InvokeAsync(IgdActions.GetGenericPortMappingEntry, IgdActions.Generic(index), cancellationToken).ConfigureAwait(false);
                }
                catch (UpnpFaultException ex) when (IsEndOfTable(ex.ErrorCode))
                {
                    return result;
                }

                var mapping = TryRead(response, Clock.UtcNow, PortMappingReader.Names.Action, IgdActions.GetGenericPortMappingEntry);
                if (mapping != null)
                {
                    result.Add(mapping);
                    progress?.Report(result.Count);
                }
            }

            Trace.Trace("GetGenericPortMappingEntry never reported the end of the table; stopped after " + MaxGenericEntries.ToString(CultureInfo.InvariantCulture) + " entries.");
            return result;
        }

        /// <summary>Reports a running total that only grows, whichever listing task adds to it.</summary>
        private sealed class ProgressCounter
        {
            private readonly IProgress<int>? _progress;
            private readonly object _gate = new object();
            private int _count;

            public ProgressCounter(IProgress<int>? progress) => _progress = progress;

            public void Add(int entries)
            {
                if (_progress == null)
                {
                    return;
                }

                lock (_gate)
                {
                    _count += entries;
                    _progress.Report(_count);
                }
            }
        }

        // One unreadable entry must not hide the rest of the table; it is skipped and traced.
        private UpnpPortMapping? TryRead(SoapResponse entry, DateTimeOffset now, PortMappingReader.Names names, string actionName)
        {
            try
            {
                return PortMappingReader.Entry(entry, Gateway, now, names, actionName);
            }
            catch (UpnpMalformedResponseException ex)
            {
                Trace.Trace("Skipped a port mapping entry: " + ex.Message);
                return null;
            }
        }

        /// <summary>
        /// Devices say "past the end" in several ways: 713 SpecifiedArrayIndexInvalid is the standard, but 714, 402,
        /// 501 and 601 are all seen in the field.
        /// </summary>
        private static bool IsEndOfTable(int code) =>
            code == UpnpFaultCodes.SpecifiedArrayIndexInvalid
            || code == UpnpFaultCodes.NoSuchEntryInArray
            || code == UpnpFaultCodes.InvalidArgs
            || code == UpnpFaultCodes.ActionFailed
            || code == UpnpFaultCodes.ArgumentValueOutOfRange;

        /// <summary>730 PortMappingNotFound is v2's "nothing in this range"; 713/714 are used for the same by some devices.</summary>
        private static bool IsEndOfList(int code) =>
            code == UpnpFaultCodes.PortMappingNotFound || code == UpnpFaultCodes.SpecifiedArrayIndexInvalid || code == UpnpFaultCodes.NoSuchEntryInArray;

        /// <summary>The device answered, but not usefully: worth trying the v1 way. Timeouts and refused connections are not.</summary>
        private static bool IsDeviceRefusal(UpnpException ex) =>
            ex is UpnpFaultException
            || ex is UpnpMalformedResponseException
            || ex is UpnpHttpStatusException
            || ReferenceEquals(ex.Entry, UpnpErrors.SoapFault);

        private async Task<SoapResponse?> TryGetStatusInfoAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await _control.InvokeAsync(IgdActions.GetStatusInfo, IgdActions.None, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex)
            {
                Trace.Trace("GetStatusInfo failed (" + ex.ErrorId + "); the connection status is unknown.");
                return null;
            }
        }

        /// <summary>
        /// Looks before adding, so the result can say Created or Renewed and a mapping held by another client is found
        /// before anything is changed. A router that cannot answer the look is treated as holding nothing; AddPortMapping
        /// then gives its own verdict.
        /// </summary>
        private async Task<UpnpPortMapping?> PreviewAsync(PortMappingTarget target, CancellationToken cancellationToken)
        {
            try
            {
                return await GetSpecificPortMappingAsync(target.RemoteHost, target.ExternalPort, target.Protocol, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpException ex) when (IsDeviceRefusal(ex))
            {
                Trace.Trace("Could not check for an existing mapping (" + ex.ErrorId + "); adding directly.");
                return null;
            }
        }

        private async Task<PortMappingChange> UpdateExistingAsync(UpnpPortMapping existing, PortMappingTarget target, bool force, List<string> warnings, CancellationToken cancellationToken)
        {
            if (target.IsSameClient(existing))
            {
                try
                {
                    await AddWithLeaseRulesAsync(IgdActions.AddPortMapping, target, warnings, cancellationToken).ConfigureAwait(false);
                }
                catch (UpnpFaultException ex) when (ex.ErrorCode == UpnpFaultCodes.ConflictInMappingEntry)
                {
                    // Some devices refuse to re-add a mapping even for its own client: renew by delete and add.
                    Trace.Trace("The router refused to renew " + target + " in place (718); deleting and adding it again.");
                    await ReplaceAsync(existing, target, warnings, "renew", cancellationToken).ConfigureAwait(false);
                }

                return PortMappingChange.Renewed;
            }

            if (!force)
            {
                throw new UpnpMappingConflictException(existing, target.InternalClient, target.InternalPort);
            }

            await ReplaceAsync(existing, target, warnings, "take over", cancellationToken).ConfigureAwait(false);
            return PortMappingChange.Replaced;
        }

        /// <summary>
        /// Deletes <paramref name="existing"/> and adds <paramref name="target"/>. If the add fails, the previous entry is
        /// put back, so a failed renewal or takeover never leaves the port unmapped; the error says whether that worked.
        /// </summary>
        private async Task ReplaceAsync(UpnpPortMapping existing, PortMappingTarget target, List<string> warnings, string verb, CancellationToken cancellationToken)
        {
            await DeletePortMappingAsync(existing.RemoteHost, existing.ExternalPort, existing.Protocol, cancellationToken).ConfigureAwait(false);
            Exception? failure = null;
            try
            {
                await AddWithLeaseRulesAsync(IgdActions.AddPortMapping, target, warnings, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is UpnpException || ex is OperationCanceledException)
            {
                failure = ex;
            }

            if (failure is UpnpFaultException fault && fault.ErrorCode == UpnpFaultCodes.ConflictInMappingEntry && fault.RequestWasResent)
            {
                // The port was free after the delete, so a 718 to a copy sent again can only be our own first copy.
                var held = await GetSpecificPortMappingAsync(target.RemoteHost, target.ExternalPort, target.Protocol, cancellationToken).ConfigureAwait(false);
                if (held != null && target.IsSameClient(held))
                {
                    TraceEarlierCopyApplied(target);
                    return;
                }
            }

            if (failure == null)
            {
                return;
            }

            string outcome;
            try
            {
                // The restore must happen even when the caller has given up: otherwise the mapping is lost.
                await AddWithLeaseRulesAsync(IgdActions.AddPortMapping, PortMappingTarget.From(existing), null, CancellationToken.None).ConfigureAwait(false);
                outcome = "The previous mapping to " + existing.InternalClient + ":" + existing.InternalPort.ToString(CultureInfo.InvariantCulture) + " was restored.";
            }
            catch (UpnpException restoreError)
            {
                outcome = "The previous mapping to " + existing.InternalClient + ":" + existing.InternalPort.ToString(CultureInfo.InvariantCulture)
                    + " could NOT be restored (" + restoreError.Message + "); add it again.";
            }

            if (failure is OperationCanceledException)
            {
                Trace.Trace("Cancelled while trying to " + verb + " " + target + ". " + outcome);
                ExceptionDispatchInfo.Capture(failure).Throw();
            }

            var inner = (UpnpException)failure;
            throw UpnpException.CausedBy(
                verb == "renew" ? UpnpErrors.RenewalFailed : UpnpErrors.ReplaceFailed,
                "Could not " + verb + " " + target + ": " + inner.Message + " " + outcome,
                inner);
        }

        private void TraceEarlierCopyApplied(PortMappingTarget target) =>
            Trace.Trace("AddPortMapping " + target + " was sent again after its answer was lost and then refused with 718, but the router holds it for this client: the first copy was applied.");

        /// <summary>
        /// AddPortMapping or AddAnyPortMapping with the version's lease rules, and, when the router refuses leases (725,
        /// or 402 from an IGD v1 router), one retry with a permanent lease that the warnings report. AddAnyPortMapping is never sent twice: a copy that
        /// arrived after a lost answer could reserve a second port.
        /// </summary>
        private async Task<SoapResponse> AddWithLeaseRulesAsync(string actionName, PortMappingTarget target, List<string>? warnings, CancellationToken cancellationToken)
        {
            var lease = LeasePlan.Seconds(target.LeaseDuration, Gateway.ServiceVersion, warnings);
            var resend = actionName == IgdActions.AddAnyPortMapping ? HttpResend.Never : (HttpResend?)null;
            try
            {
                return await _control.InvokeAsync(actionName, IgdActions.Add(target, lease), cancellationToken, resend).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex) when (lease != 0 && RefusesLeases(ex))
            {
                SoapResponse response;
                try
                {
                    response = await _control.InvokeAsync(actionName, IgdActions.Add(target, 0), cancellationToken, resend).ConfigureAwait(false);
                }
                catch (UpnpFaultException again) when (ex.ErrorCode == UpnpFaultCodes.InvalidArgs && again.ErrorCode == UpnpFaultCodes.InvalidArgs)
                {
                    // The 402 was about something else than the lease: the first answer is the one to report.
                    ExceptionDispatchInfo.Capture(ex).Throw();
                    throw;
                }

                warnings?.Add(LeasePlan.PermanentWarning(lease, ex.ErrorCode));
                return response;
            }
        }

        /// <summary>
        /// A router that keeps only permanent mappings answers a lease with 725 OnlyPermanentLeasesSupported; some IGD v1
        /// routers say 402 InvalidArgs instead (tailscale#15223). Both get the same permanent mapping and warning. On v2,
        /// where a permanent lease is not allowed, 402 keeps its own meaning.
        /// </summary>
        private bool RefusesLeases(UpnpFaultException ex) =>
            ex.ErrorCode == UpnpFaultCodes.OnlyPermanentLeasesSupported
            || (ex.ErrorCode == UpnpFaultCodes.InvalidArgs && !IsV2);

        /// <summary>The mapping as the router now holds it, so the caller sees the lease the router really granted.</summary>
        private async Task<UpnpPortMapping> ReadBackAsync(PortMappingTarget target, string actionName, List<string> warnings, CancellationToken cancellationToken)
        {
            UpnpPortMapping? mapping;
            try
            {
                mapping = await GetSpecificPortMappingAsync(target.RemoteHost, target.ExternalPort, target.Protocol, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpException ex) when (IsDeviceRefusal(ex))
            {
                // The add succeeded; only the look afterwards failed. The caller gets the mapping as asked, and is told.
                Trace.Trace("Could not read back " + target + " (" + ex.ErrorId + "); reporting it as requested.");
                warnings.Add("The router's answer when " + target + " was read back was unusable (" + ex.ErrorId + "): the mapping is reported as requested, "
                    + "but the router may hold it otherwise (a description longer than it keeps, for example).");
                var lease = TimeSpan.FromSeconds(LeasePlan.Seconds(target.LeaseDuration, Gateway.ServiceVersion, null));
                return new UpnpPortMapping(
                    Gateway, target.RemoteHost, target.ExternalPort, target.Protocol, target.InternalPort, target.InternalClient,
                    target.Enabled, target.Description, lease, lease == TimeSpan.Zero ? (DateTimeOffset?)null : Clock.UtcNow + lease);
            }

            if (mapping == null)
            {
                throw new UpnpException(
                    UpnpErrors.MappingNotHeld,
                    "The router accepted " + actionName + " for " + target + " but does not hold the mapping when asked for it.",
                    Gateway.ControlUrl);
            }

            if (!string.Equals(mapping.Description, target.Description, StringComparison.Ordinal))
            {
                // The description went out escaped and intact; what the router keeps is its own business, but the caller
                // must know. miniupnpd 2.3.1 keeps 64 bytes of the escaped text and then shows whatever memory follows.
                warnings.Add("The router holds the description of " + target + " as '" + Printable(mapping.Description) + "', not as sent ('"
                    + Printable(target.Description) + "'); routers shorten long descriptions, so use a shorter one (63 bytes at most for miniupnpd).");
            }

            return mapping;
        }

        // Control characters and what a console cannot show, made visible for a warning.
        private static string Printable(string text)
        {
            var sb = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                if (c < ' ' || c == '\u007f' || c == '\ufffd')
                {
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        private async Task<PortMappingResult> AddInsteadOfAnyAsync(PortMappingRequest request, string why, CancellationToken cancellationToken)
        {
            if (request.ExternalPort == 0)
            {
                throw new UpnpException(UpnpErrors.ActionNotSupported, "Cannot let the router choose the external port: " + why + ".", Gateway.ControlUrl);
            }

            var result = await AddPortMappingAsync(request, cancellationToken).ConfigureAwait(false);
            var warnings = new List<string>(result.Warnings.Count + 1)
            {
                "The requested external port was mapped as asked, since " + why + ".",
            };
            warnings.AddRange(result.Warnings);
            return new PortMappingResult(result.Mapping, result.Change, warnings);
        }
    }
}
