using System.Collections.Generic;
using System.Linq;
using PSUpnp.Ssdp;

namespace PSUpnp.Diagnostics
{
    /// <summary>
    /// Records what one discovery did, for a diagnostics bundle: the interfaces it searched and every SSDP answer.
    /// The searcher calls it from its receive threads, hence the lock.
    /// </summary>
    internal sealed class DiscoveryRecorder
    {
        private readonly object _gate = new object();
        private readonly List<string> _interfaces = new List<string>();
        private readonly List<SsdpAnswerRecord> _answers = new List<SsdpAnswerRecord>();

        public IReadOnlyList<string> Interfaces
        {
            get
            {
                lock (_gate)
                {
                    return _interfaces.ToList();
                }
            }
        }

        public IReadOnlyList<SsdpAnswerRecord> Answers
        {
            get
            {
                lock (_gate)
                {
                    return _answers.ToList();
                }
            }
        }

        public void Searching(IEnumerable<SearchSource> sources)
        {
            lock (_gate)
            {
                foreach (var source in sources)
                {
                    _interfaces.Add(source.Interface + (source.Multicast ? ", multicast" : string.Empty)
                        + (source.UnicastDevices.Count > 0 ? ", unicast to " + string.Join(" ", source.UnicastDevices) : string.Empty));
                }
            }
        }

        public void Answered(SsdpAnswer answer)
        {
            var record = new SsdpAnswerRecord(
                answer.ReceivedOn.ToString(),
                answer.Sender.ToString(),
                answer.Message.Target,
                answer.Message.Server ?? string.Empty,
                answer.Message.Location?.ToString() ?? string.Empty);
            lock (_gate)
            {
                _answers.Add(record);
            }
        }
    }
}
