// Over 300 lines on purpose: one discovery's shared state (LOCATIONs followed, gateways read, failures) and the lock
// that guards it belong together; split, the lock's reach would span files.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Description;
using PSUpnp.Net;
using PSUpnp.Ssdp;

namespace PSUpnp.Igd
{
    /// <summary>
    /// The state of one discovery call: which LOCATIONs were followed, the gateways read so far and why others
    /// failed. Answers arrive on several receive loops at once; everything shared is under one lock.
    /// </summary>
    internal sealed class DiscoverySession
    {
        private readonly GatewayLocator owner;
        private readonly IReadOnlyList<IPAddress> defaultGateways;
        private readonly IReadOnlyList<SearchSource> sources;
        private readonly DateTimeOffset deadline;
        private readonly CancellationToken token;
        private readonly object gate = new object();
        private readonly HashSet<string> followed = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<Found> found = new List<Found>();
        private readonly List<Exception> failures = new List<Exception>();
        private readonly TaskCompletionSource<bool> firstUsable = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> preferredUsable = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource<bool> idle = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private int answers;
        private int reading;

        public DiscoverySession(GatewayLocator owner, IReadOnlyList<IPAddress> defaultGateways, IReadOnlyList<SearchSource> sources, DateTimeOffset deadline, CancellationToken token)
        {
            this.owner = owner;
            this.defaultGateways = defaultGateways;
            this.sources = sources;
            this.deadline = deadline;
            this.token = token;
        }

        /// <summary>Completes when the first gateway has answered and its description has been read.</summary>
        public Task FirstUsable => firstUsable.Task;

        /// <summary>Completes when one of the host's default gateways has answered and its description has been read.</summary>
        public Task PreferredUsable => preferredUsable.Task;

        /// <summary>True when the best gateway so far is one of the host's default gateways: nothing better can come.</summary>
        public bool BestIsPreferred
        {
            get
            {
                lock (gate)
                {
                    return found.Count > 0 && Best().IsDefaultGateway;
                }
            }
        }

        /// <summary>Completes when no description read (or service choice) is under way: every answer so far is read.</summary>
        public Task Settled
        {
            get
            {
                lock (gate)
                {
                    return reading == 0 ? Task.CompletedTask : idle.Task;
                }
            }
        }

        public void OnAnswer(SsdpAnswer answer)
        {
            var location = answer.Message.Location!;
            lock (gate)
            {
                answers++;
                if (!followed.Add(location.AbsoluteUri))
                {
                    return;
                }

                if (followed.Count > owner.Seams.MaxDescriptions)
                {
                    owner.Trace.Trace("Discovery: too many devices answered; LOCATION " + location + " is not followed");
                    return;
                }

                if (reading++ == 0)
                {
                    idle = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            _ = FollowAsync(answer);
        }

        public IReadOnlyList<UpnpGateway> Result(GatewaySearch search)
        {
            lock (gate)
            {
                if (found.Count > 0)
                {
                    if (!search.All)
                    {
                        return new[] { Best().Gateway };
                    }

                    var all = new List<UpnpGateway>(found.Count);
                    foreach (var f in found)
                    {
                        if (!all.Exists(g => g.Udn == f.Gateway.Udn && g.ControlUrl == f.Gateway.ControlUrl))
                        {
                            all.Add(f.Gateway);
                        }
                    }

                    return all;
                }

                var unexpected = failures.Find(e => !(e is UpnpException));
                if (unexpected != null)
                {
                    ExceptionDispatchInfo.Capture(unexpected).Throw();
                }

                throw NotFound(search);
            }
        }

        private UpnpException NotFound(GatewaySearch search)
        {
            var from = new List<string>(sources.Count);
            foreach (var s in sources)
            {
                from.Add(s.Interface.ToString());
            }

            var message = "No UPnP Internet Gateway Device answered within " + GatewayLocator.Seconds(search.Timeout)
                + " (searched from " + string.Join(", ", from) + ").";
            var first = failures.Count > 0 ? failures[0] : null;
            if (first != null)
            {
                message = "No usable UPnP Internet Gateway Device was found within " + GatewayLocator.Seconds(search.Timeout)
                    + ": " + answers.ToString(CultureInfo.InvariantCulture) + " answer(s) came, but none could be used. " + first.Message;
            }

            return new UpnpException(UpnpErrors.GatewayNotFound, message, search.LocalAddress, first);
        }

        private async Task FollowAsync(SsdpAnswer answer)
        {
            var message = answer.Message;
            var location = message.Location!;
            try
            {
                await CheckLocationAsync(answer).ConfigureAwait(false);
                var remaining = deadline - owner.Clock.UtcNow;
                if (remaining <= TimeSpan.Zero)
                {
                    return;
                }

                var description = await owner.ReadDescriptionAsync(location, remaining, token).ConfigureAwait(false);
                DateTimeOffset? expiresAt = message.MaxAge.HasValue ? answer.ReceivedAt + message.MaxAge.Value : (DateTimeOffset?)null;
                var candidates = GatewayBuilder.Build(description, location, LocalAddressFor(answer), message.Server, expiresAt, owner.Trace);
                var chosen = await owner.ChooseServiceAsync(candidates, remaining, token).ConfigureAwait(false);
                var isDefault = Contains(defaultGateways, answer.Sender.Address);
                lock (gate)
                {
                    found.Add(new Found(chosen, isDefault));
                }

                owner.Trace.Trace("Discovery: usable gateway " + chosen.FriendlyName + ", " + chosen.ServiceType + " at " + chosen.ControlUrl + (isDefault ? " (the default gateway)" : string.Empty));
                firstUsable.TrySetResult(true);
                if (isDefault)
                {
                    preferredUsable.TrySetResult(true);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The search is over; this description arrived too late to matter.
            }
            catch (Exception e)
            {
                // Recorded, not swallowed: an engine error explains a failed search, anything else is rethrown by Result.
                owner.Trace.Trace("Discovery: " + location + " is not usable: " + e.Message);
                lock (gate)
                {
                    failures.Add(e);
                }
            }
            finally
            {
                lock (gate)
                {
                    if (--reading == 0)
                    {
                        idle.TrySetResult(true);
                    }
                }
            }
        }

        /// <summary>
        /// A control point must not be steered into fetching arbitrary URLs: LOCATION must name the device that
        /// answered, or a host on a network directly connected to the interface that received the answer.
        /// </summary>
        private async Task CheckLocationAsync(SsdpAnswer answer)
        {
            var location = answer.Message.Location!;
            IPAddress[] hosts;
            if (IPAddress.TryParse(location.DnsSafeHost, out var literal))
            {
                hosts = new[] { literal };
            }
            else
            {
                hosts = await NameLookup.GetAddressesAsync(location.DnsSafeHost, token).ConfigureAwait(false);
            }

            if (!MayFollow(hosts, answer.Sender.Address, answer.ReceivedOn))
            {
                throw new UpnpException(
                    UpnpErrors.LocationNotFollowed,
                    "LOCATION " + location + " sent by " + answer.Sender.Address + " was not followed: its host is neither the device that answered nor on the network of " + answer.ReceivedOn + ".",
                    location);
            }
        }

        /// <summary>
        /// Whether the addresses a LOCATION's host resolves to may be fetched: each one the description read would
        /// connect to must be the device that answered or on the receiving interface's network. HttpExchange connects
        /// to an IPv4 address when there is one, so an IPv6 address beside it (a host name with an AAAA record) is not
        /// judged; with no IPv4 address at all, every address is.
        /// </summary>
        internal static bool MayFollow(IReadOnlyList<IPAddress> hosts, IPAddress sender, LocalInterface receivedOn)
        {
            var ipv4 = new List<IPAddress>(hosts.Count);
            var all = new List<IPAddress>(hosts.Count);
            foreach (var host in hosts)
            {
                var h = MappedAddress.Unmap(host);
                all.Add(h);
                if (h.AddressFamily == AddressFamily.InterNetwork)
                {
                    ipv4.Add(h);
                }
            }

            var judged = ipv4.Count > 0 ? ipv4 : all;
            if (judged.Count == 0)
            {
                return false;
            }

            foreach (var h in judged)
            {
                if (!h.Equals(sender) && !receivedOn.IsOnLink(h))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The address of the searched interface that is on the device's network. A multicast answer can reach the
        /// socket of another address of the same link (a second address, a /32), which is not the one that reaches
        /// the device; the receiving address is kept only when nothing better is known.
        /// </summary>
        private IPAddress LocalAddressFor(SsdpAnswer answer)
        {
            if (answer.ReceivedOn.IsOnLink(answer.Sender.Address))
            {
                return answer.ReceivedOn.Address;
            }

            foreach (var source in sources)
            {
                if (source.Interface.IsOnLink(answer.Sender.Address))
                {
                    return source.Interface.Address;
                }
            }

            return answer.ReceivedOn.Address;
        }

        private static bool Contains(IReadOnlyList<IPAddress> addresses, IPAddress address)
        {
            foreach (var a in addresses)
            {
                if (a.Equals(address))
                {
                    return true;
                }
            }

            return false;
        }

        private Found Best()
        {
            // Earliest wins, except that the host's default gateway beats any other router on the LAN.
            var best = found[0];
            foreach (var f in found)
            {
                if (f.IsDefaultGateway && !best.IsDefaultGateway)
                {
                    best = f;
                }
            }

            return best;
        }

        private sealed class Found
        {
            public Found(UpnpGateway gateway, bool isDefaultGateway)
            {
                Gateway = gateway;
                IsDefaultGateway = isDefaultGateway;
            }

            public UpnpGateway Gateway { get; }
            public bool IsDefaultGateway { get; }
        }
    }
}
