using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PSUpnp.Bench;
using PSUpnp.Lab;
using PSUpnp.Stun;

namespace PSUpnp.Bench.Runner
{
    /// <summary>
    /// The physical limit on this lab's veths: bare round trips with blocking sockets and nothing else, medians of
    /// warm samples. One UDP round trip is a STUN binding request to coturn through the router's NAT; one HTTP round
    /// trip is a TCP connection, a GET of rootDesc.xml and miniupnpd's answer up to its close (it closes after each
    /// request, so every SOAP action pays the same).
    /// </summary>
    internal sealed class Floors
    {
        /// <summary>miniupnpd answers an M-SEARCH after a fixed 50 ms, whatever MX says (LAB-NOTES.md).</summary>
        public const double SsdpAnswerDelayMs = 50;

        private static readonly TimeSpan SampleBound = TimeSpan.FromSeconds(2);

        private Floors(double udpMs, double httpMs)
        {
            UdpMs = udpMs;
            HttpMs = httpMs;
        }

        public double UdpMs { get; }

        public double HttpMs { get; }

        public static Floors Measure(LabEnvironment environment, int samples)
        {
            var url = environment.RootDescriptionUrl;
            var get = Encoding.ASCII.GetBytes("GET " + url.AbsolutePath + " HTTP/1.1\r\nHost: " + url.Authority + "\r\nConnection: close\r\n\r\n");
            return new Floors(
                Median(samples, () => StunRoundTrip(environment)),
                Median(samples, () => HttpRoundTrip(environment, get)));
        }

        /// <summary>
        /// The bare exchanges of a sequence of SOAP actions (each a POST on its own connection, as miniupnpd closes
        /// after each): round trips plus the router's own work for them, which no client can avoid.
        /// </summary>
        public static double MeasureSoap(LabEnvironment environment, int samples, params (string Action, string Arguments)[] actions)
        {
            var requests = actions.Select(a => SoapRequest(environment, a.Action, a.Arguments)).ToList();
            return Median(samples, () => requests.Sum(r => HttpRoundTrip(environment, r)));
        }

        /// <summary>The least a scenario must wait: its round trips in sequence, plus a fixed wait the peer imposes.</summary>
        public double For(int udpRoundTrips, int httpRoundTrips, double fixedWaitMs) =>
            (udpRoundTrips * UdpMs) + (httpRoundTrips * HttpMs) + fixedWaitMs;

        private static double Median(int samples, Func<double> sample)
        {
            sample(); // warm-up: JIT, ARP, conntrack
            var times = new List<double>(samples);
            for (var i = 0; i < samples; i++)
            {
                times.Add(sample());
            }

            return Stats.Median(times);
        }

        private static double StunRoundTrip(LabEnvironment environment)
        {
            var request = new StunMessage(StunMessageClass.Request, StunMethod.Binding, StunTransactionId.NewId()).Encode(false);
            var buffer = new byte[1500];
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.ReceiveTimeout = (int)SampleBound.TotalMilliseconds;
            socket.Bind(new IPEndPoint(environment.LanAddress, 0));
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            var watch = Stopwatch.StartNew();
            socket.SendTo(request, environment.StunServer);
            socket.ReceiveFrom(buffer, ref from);
            return watch.Elapsed.TotalMilliseconds;
        }

        private static double HttpRoundTrip(LabEnvironment environment, byte[] request)
        {
            var url = environment.RootDescriptionUrl;
            var buffer = new byte[16384];
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.ReceiveTimeout = (int)SampleBound.TotalMilliseconds;
            var watch = Stopwatch.StartNew();
            socket.Connect(environment.RouterLanAddress, url.Port);
            socket.Send(request);
            var total = 0;
            var head = string.Empty;
            int read;
            while ((read = socket.Receive(buffer)) > 0)
            {
                if (total == 0)
                {
                    head = Encoding.ASCII.GetString(buffer, 0, Math.Min(read, 12));
                }

                total += read;
            }

            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            {
                // A fault comes back faster than the work: it must not pass for the floor.
                throw new BenchFailure("miniupnpd did not answer a floor probe with 200 OK: '" + head + "'\n" + Encoding.ASCII.GetString(request));
            }

            return elapsed;
        }

        // A fixed envelope for the probes alone: the arguments are the runner's own constants, never user text.
        private static byte[] SoapRequest(LabEnvironment environment, string action, string arguments)
        {
            const string service = "urn:schemas-upnp-org:service:WANIPConnection:2";
            var body = "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body><u:" + action + " xmlns:u=\"" + service + "\">"
                + arguments + "</u:" + action + "></s:Body></s:Envelope>";
            var head = "POST /ctl/IPConn HTTP/1.1\r\nHost: " + environment.RootDescriptionUrl.Authority + "\r\n"
                + "Content-Type: text/xml; charset=\"utf-8\"\r\nSOAPAction: \"" + service + "#" + action + "\"\r\n"
                + "Content-Length: " + Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture) + "\r\nConnection: close\r\n\r\n";
            return Encoding.UTF8.GetBytes(head + body);
        }
    }
}
