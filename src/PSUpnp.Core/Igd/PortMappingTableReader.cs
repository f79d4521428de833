using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Soap;

namespace PSUpnp.Igd
{
    /// <summary>
    /// Reads a router's whole mapping table: GetListOfPortMappings on v2, else GetGenericPortMappingEntry until the end,
    /// with the workarounds real routers need (a page capped below what was asked, a v2 listing that fails or lists a
    /// long table wrongly, the many ways of saying "past the end", an unreadable entry among good ones).
    /// </summary>
    internal sealed class PortMappingTableReader
    {
        // Ports asked per GetListOfPortMappings page; devices may cap it lower, and paging carries on from there.
        private const int ListPageSize = 1000;

        // miniupnpd 2.3.1 with nftables (Debian's, and common router firmware) lists at most 128 mappings right: past that
        // GetListOfPortMappings returns a short, wrong list, whatever the page size, and from about 133 it kills the
        // daemon, which then forgets every client's mappings. A longer table is read entry by entry instead.
        private const int ListSafeEntries = 128;

        // A table cannot hold more distinct mappings than this; a device that never ends iteration is stopped here.
        private const int MaxGenericEntries = 65536;

        private readonly IIgdActions _client;

        public PortMappingTableReader(IIgdActions client) => _client = client;

        private UpnpGateway Gateway => _client.Gateway;
        private ITraceSink Trace => _client.Trace;

        /// <summary>The whole table. Progress reports entries read so far.</summary>
        public async Task<IReadOnlyList<UpnpPortMapping>> ReadAsync(IProgress<int>? progress, CancellationToken cancellationToken)
        {
            if (Gateway.ServiceVersion >= 2)
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
                    catch (UpnpException ex) when (IgdFaults.IsDeviceRefusal(ex))
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
                response = await _client.SendAsync(IgdAction.GetGenericPortMappingEntry, IgdAction.Generic(entries), cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpFaultException ex) when (IgdFaults.IsEndOfTable(ex.ErrorCode))
            {
                return false;
            }
            catch (UpnpException ex) when (IgdFaults.IsDeviceRefusal(ex))
            {
                // A device that cannot say: its v2 listing is all there is to read the table with.
                Trace.Trace("Could not tell how long the table is (" + ex.ErrorId + "); listing it with GetListOfPortMappings.");
                return false;
            }

            // Only a readable entry counts: an answer that carries none says nothing about the table's length.
            try
            {
                PortMappingReader.Entry(response, Gateway, _client.Clock.UtcNow, PortMappingReader.Names.Action, IgdAction.GetGenericPortMappingEntry.Name);
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
            var action = IgdAction.GetListOfPortMappings;
            var result = new List<UpnpPortMapping>();
            var start = 1;
            while (start <= 65535)
            {
                SoapResponse response;
                try
                {
                    response = await _client.SendAsync(action, IgdAction.List(start, 65535, protocol, ListPageSize), cancellationToken).ConfigureAwait(false);
                }
                catch (UpnpFaultException ex) when (IgdFaults.IsEndOfList(ex.ErrorCode))
                {
                    break;
                }

                var entries = PortMappingListParser.Parse(response.Get("NewPortListing") ?? string.Empty, action.Name, Gateway.ControlUrl!);
                var now = _client.Clock.UtcNow;
                var highest = 0;
                var added = 0;
                foreach (var entry in entries)
                {
                    var mapping = TryRead(entry, now, PortMappingReader.Names.ListEntry, action);
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
                    response = await _client.SendAsync(IgdAction.GetGenericPortMappingEntry, IgdAction.Generic(index), cancellationToken).ConfigureAwait(false);
                }
                catch (UpnpFaultException ex) when (IgdFaults.IsEndOfTable(ex.ErrorCode))
                {
                    return result;
                }

                var mapping = TryRead(response, _client.Clock.UtcNow, PortMappingReader.Names.Action, IgdAction.GetGenericPortMappingEntry);
                if (mapping != null)
                {
                    result.Add(mapping);
                    progress?.Report(result.Count);
                }
            }

            Trace.Trace("GetGenericPortMappingEntry never reported the end of the table; stopped after " + MaxGenericEntries.ToString(CultureInfo.InvariantCulture) + " entries.");
            return result;
        }

        // One unreadable entry must not hide the rest of the table; it is skipped and traced.
        private UpnpPortMapping? TryRead(SoapResponse entry, DateTimeOffset now, PortMappingReader.Names names, IgdAction action)
        {
            try
            {
                return PortMappingReader.Entry(entry, Gateway, now, names, action.Name);
            }
            catch (UpnpMalformedResponseException ex)
            {
                Trace.Trace("Skipped a port mapping entry: " + ex.Message);
                return null;
            }
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
    }
}
