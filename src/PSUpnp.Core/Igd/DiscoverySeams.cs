using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;
using PSUpnp.Ssdp;

namespace PSUpnp.Igd
{
    /// <summary>What GatewayLocator needs from the outside world, replaceable so tests run without the real network.</summary>
    internal sealed class DiscoverySeams
    {
        private static readonly KeyValuePair<string, string>[] NoHeaders = new KeyValuePair<string, string>[0];

        public ILocalNetwork Network { get; set; } = SystemLocalNetwork.Instance;

        public GatewayCache Cache { get; set; } = GatewayCache.Shared;

        /// <summary>GET of a description URL within a timeout, retried through loss as HttpLimits.Description says (traced).</summary>
        public Func<Uri, TimeSpan, ITraceSink, CancellationToken, Task<HttpResponse>> Fetch { get; set; } =
            (url, timeout, trace, ct) => HttpExchange.SendAsync("GET", url, NoHeaders, null, HttpLimits.Description.WithTimeout(timeout), trace, ct);

        /// <summary>GetStatusInfo + GetExternalIPAddress of one connection service, to choose among several.</summary>
        public Func<UpnpGateway, TimeSpan, ITraceSink, CancellationToken, Task<UpnpExternalAddress>> Probe { get; set; } =
            (gateway, timeout, trace, ct) => new IgdClient(gateway, trace, null, timeout).GetExternalAddressAsync(ct);

        /// <summary>Where multicast M-SEARCHes go; tests point it at a loopback responder.</summary>
        public IPEndPoint MulticastEndPoint { get; set; } = MSearchEncoder.MulticastEndPoint;

        /// <summary>The port of unicast M-SEARCHes to the default gateways.</summary>
        public int UnicastPort { get; set; } = MSearchEncoder.SsdpPort;

        /// <summary>
        /// After the first usable gateway, how long a better one may still arrive. Short on purpose: a device answers
        /// a search in one burst, and every millisecond here is added to each cmdlet call.
        /// </summary>
        public TimeSpan BetterAnswerWindow { get; set; } = TimeSpan.FromMilliseconds(25);

        /// <summary>
        /// MX 1, the smallest UDA 1.1 allows: devices spread their answers over at most a second, and the call
        /// returns with the first usable one.
        /// </summary>
        public int Mx { get; set; } = MSearchEncoder.MinMx;

        /// <summary>
        /// Waits out the rest of the MX window of a search for every gateway; tests hold it to see that the search ends
        /// when the window closes, not when its timeout runs out.
        /// </summary>
        public Func<TimeSpan, CancellationToken, Task> WindowWait { get; set; } =
            (rest, ct) => Task.Delay(rest > TimeSpan.Zero ? rest : TimeSpan.Zero, ct);

        /// <summary>How many distinct description URLs one search follows at most (a noisy LAN must not fan out).</summary>
        public int MaxDescriptions { get; set; } = 16;
    }
}
