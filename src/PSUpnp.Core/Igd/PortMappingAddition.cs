using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Engine;

namespace PSUpnp.Igd
{
    /// <summary>
    /// One add or renewal: GetSpecificPortMappingEntry, then AddPortMapping (or delete and add) as <see cref="AddPlan"/>
    /// decides, with the lease rules of IGD v1 and v2, then a read-back of what the router holds. One instance per call.
    /// </summary>
    internal sealed class PortMappingAddition
    {
        private readonly IIgdActions _client;
        private readonly PortMappingTarget _target;
        private readonly bool _force;
        private readonly List<string> _warnings = new List<string>();

        private PortMappingAddition(IIgdActions client, PortMappingTarget target, bool force)
        {
            _client = client;
            _target = target;
            _force = force;
        }

        private UpnpGateway Gateway => _client.Gateway;
        private ITraceSink Trace => _client.Trace;

        public static Task<PortMappingResult> RunAsync(IIgdActions client, PortMappingRequest request, CancellationToken cancellationToken) =>
            RunAsync(client, UpnpEngine.PrepareAddition(request, client.Gateway), cancellationToken);

        /// <summary>A request already checked and completed once (by the façade, which showed it to ShouldProcess).</summary>
        public static Task<PortMappingResult> RunAsync(IIgdActions client, PreparedPortMapping mapping, CancellationToken cancellationToken) =>
            new PortMappingAddition(client, mapping.Target, mapping.Force).RunAsync(mapping.IsRenewal, cancellationToken);

        private async Task<PortMappingResult> RunAsync(bool isRenewal, CancellationToken cancellationToken)
        {
            var held = await PreviewAsync(cancellationToken).ConfigureAwait(false);
            var step = AddPlan.Before(held, _target, _force);
            if (step == AddStep.Create)
            {
                try
                {
                    await AddAsync(_target, _warnings, cancellationToken).ConfigureAwait(false);
                }
                catch (UpnpFaultException ex) when (IgdFaults.IsConflict(ex))
                {
                    // The port was taken between our look and our add, or the look could not see it: look again,
                    // once, to name the holder or renew our own.
                    held = await _client.GetSpecificPortMappingAsync(_target.RemoteHost, _target.ExternalPort, _target.Protocol, cancellationToken).ConfigureAwait(false);
                    step = AddPlan.AfterConflict(held, _target, _force, ex.RequestWasResent);
                    if (step == AddStep.Refused)
                    {
                        throw;
                    }

                    if (step == AddStep.EarlierCopyApplied)
                    {
                        Trace.Trace(PortMappingMessages.EarlierCopyApplied(_target));
                    }
                    else
                    {
                        await ChangeHeldAsync(step, held!, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            else
            {
                await ChangeHeldAsync(step, held!, cancellationToken).ConfigureAwait(false);
            }

            var change = AddPlan.Change(step);
            if (isRenewal && change == PortMappingChange.Created)
            {
                var vanished = PortMappingMessages.Vanished(_target);
                Trace.Trace(vanished);
                _warnings.Add(vanished);
            }

            var mapping = await ReadBackAsync(cancellationToken).ConfigureAwait(false);
            return new PortMappingResult(mapping, change, _warnings);
        }

        /// <summary>
        /// Looks before adding, so the result can say Created or Renewed and a mapping held by another client is found
        /// before anything is changed. A router that cannot answer the look is treated as holding nothing; AddPortMapping
        /// then gives its own verdict.
        /// </summary>
        private async Task<UpnpPortMapping?> PreviewAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await _client.GetSpecificPortMappingAsync(_target.RemoteHost, _target.ExternalPort, _target.Protocol, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpException ex) when (IgdFaults.IsDeviceRefusal(ex))
            {
                Trace.Trace("Could not check for an existing mapping (" + ex.ErrorId + "); adding directly.");
                return null;
            }
        }

        /// <summary>Renews, takes over or refuses a mapping the router holds, as <paramref name="step"/> says.</summary>
        private async Task ChangeHeldAsync(AddStep step, UpnpPortMapping held, CancellationToken cancellationToken)
        {
            switch (step)
            {
                case AddStep.Renew:
                    try
                    {
                        await AddAsync(_target, _warnings, cancellationToken).ConfigureAwait(false);
                    }
                    catch (UpnpFaultException ex) when (IgdFaults.IsConflict(ex))
                    {
                        // Some devices refuse to re-add a mapping even for its own client: renew by delete and add.
                        Trace.Trace("The router refused to renew " + _target + " in place (718); deleting and adding it again.");
                        await ReplaceAsync(held, "renew", cancellationToken).ConfigureAwait(false);
                    }

                    return;
                case AddStep.TakeOver:
                    await ReplaceAsync(held, "take over", cancellationToken).ConfigureAwait(false);
                    return;
                default:
                    throw new UpnpMappingConflictException(held, _target.InternalClient, _target.InternalPort);
            }
        }

        /// <summary>
        /// Deletes <paramref name="existing"/> and adds the target. If the add fails, the previous entry is put back, so a
        /// failed renewal or takeover never leaves the port unmapped; the error says whether that worked.
        /// </summary>
        private async Task ReplaceAsync(UpnpPortMapping existing, string verb, CancellationToken cancellationToken)
        {
            await _client.DeletePortMappingAsync(existing.RemoteHost, existing.ExternalPort, existing.Protocol, cancellationToken).ConfigureAwait(false);
            Exception? failure = null;
            try
            {
                await AddAsync(_target, _warnings, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is UpnpException || ex is OperationCanceledException)
            {
                failure = ex;
            }

            if (failure is UpnpFaultException fault && IgdFaults.IsConflict(fault) && fault.RequestWasResent)
            {
                // The port was free after the delete, so a 718 to a copy sent again can only be our own first copy.
                var held = await _client.GetSpecificPortMappingAsync(_target.RemoteHost, _target.ExternalPort, _target.Protocol, cancellationToken).ConfigureAwait(false);
                if (AddPlan.AfterConflict(held, _target, force: false, requestWasResent: true) == AddStep.EarlierCopyApplied)
                {
                    Trace.Trace(PortMappingMessages.EarlierCopyApplied(_target));
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
                await AddAsync(PortMappingTarget.From(existing), null, CancellationToken.None).ConfigureAwait(false);
                outcome = PortMappingMessages.Restored(existing);
            }
            catch (UpnpException restoreError)
            {
                outcome = PortMappingMessages.NotRestored(existing, restoreError.Message);
            }

            if (failure is OperationCanceledException)
            {
                Trace.Trace("Cancelled while trying to " + verb + " " + _target + ". " + outcome);
                ExceptionDispatchInfo.Capture(failure).Throw();
            }

            var inner = (UpnpException)failure;
            throw UpnpException.CausedBy(
                verb == "renew" ? UpnpErrors.RenewalFailed : UpnpErrors.ReplaceFailed,
                "Could not " + verb + " " + _target + ": " + inner.Message + " " + outcome,
                inner);
        }

        /// <summary>
        /// AddPortMapping with the version's lease rules, and, when the router refuses leases (725, or 402 from an IGD v1
        /// router), one retry with a permanent lease that the warnings report.
        /// </summary>
        private async Task AddAsync(PortMappingTarget target, List<string>? warnings, CancellationToken cancellationToken)
        {
            var lease = LeasePlan.Seconds(target.LeaseDuration, Gateway.ServiceVersion, warnings);
            try
            {
                await _client.SendAsync(IgdAction.AddPortMapping, IgdAction.Add(target, lease), cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex) when (lease != 0 && IgdFaults.RefusesLeases(ex.ErrorCode, Gateway.ServiceVersion))
            {
                try
                {
                    await _client.SendAsync(IgdAction.AddPortMapping, IgdAction.Add(target, 0), cancellationToken).ConfigureAwait(false);
                }
                catch (UpnpFaultException again) when (ex.ErrorCode == UpnpFaultCodes.InvalidArgs && again.ErrorCode == UpnpFaultCodes.InvalidArgs)
                {
                    // The 402 was about something else than the lease: the first answer is the one to report.
                    ExceptionDispatchInfo.Capture(ex).Throw();
                    throw;
                }

                warnings?.Add(LeasePlan.PermanentWarning(lease, ex.ErrorCode));
            }
        }

        /// <summary>The mapping as the router now holds it, so the caller sees the lease the router really granted.</summary>
        private async Task<UpnpPortMapping> ReadBackAsync(CancellationToken cancellationToken)
        {
            UpnpPortMapping? mapping;
            try
            {
                mapping = await _client.GetSpecificPortMappingAsync(_target.RemoteHost, _target.ExternalPort, _target.Protocol, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpException ex) when (IgdFaults.IsDeviceRefusal(ex))
            {
                // The add succeeded; only the look afterwards failed. The caller gets the mapping as asked, and is told.
                Trace.Trace("Could not read back " + _target + " (" + ex.ErrorId + "); reporting it as requested.");
                _warnings.Add(PortMappingMessages.UnusableReadBack(_target, ex.ErrorId));
                var lease = TimeSpan.FromSeconds(LeasePlan.Seconds(_target.LeaseDuration, Gateway.ServiceVersion, null));
                return new UpnpPortMapping(
                    Gateway, _target.RemoteHost, _target.ExternalPort, _target.Protocol, _target.InternalPort, _target.InternalClient,
                    _target.Enabled, _target.Description, lease, lease == TimeSpan.Zero ? (DateTimeOffset?)null : _client.Clock.UtcNow + lease);
            }

            if (mapping == null)
            {
                throw new UpnpException(UpnpErrors.MappingNotHeld, PortMappingMessages.NotHeld(_target), Gateway.ControlUrl);
            }

            if (!string.Equals(mapping.Description, _target.Description, StringComparison.Ordinal))
            {
                _warnings.Add(PortMappingMessages.DescriptionNotKept(_target, mapping.Description));
            }

            return mapping;
        }
    }
}
