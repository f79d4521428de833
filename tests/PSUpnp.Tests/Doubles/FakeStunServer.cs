using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Stun;

namespace PSUpnp.Tests.Stun
{
    /// <summary>
    /// An RFC 5780 STUN server on loopback with a NAT simulated inside it. It listens on 127.0.0.1 and 127.0.0.2
    /// (both loopback on Linux), each on two ports, so OTHER-ADDRESS and CHANGE-REQUEST are real; the mapped address
    /// it reports and the answers it lets through follow the scripted mapping and filtering behaviour, with the
    /// NAT's public address on 127.0.0.3.
    /// </summary>
    public sealed class FakeStunServer : IDisposable
    {
        public static readonly IPAddress PublicIp = IPAddress.Parse("127.0.0.3");
        private static readonly IPAddress PrimaryIp = IPAddress.Loopback;
        private static readonly IPAddress AlternateIp = IPAddress.Parse("127.0.0.2");

        private readonly Dictionary<IPEndPoint, Socket> _sockets = new Dictionary<IPEndPoint, Socket>();
        private readonly ConcurrentDictionary<string, IPEndPoint> _mappings = new ConcurrentDictionary<string, IPEndPoint>();
        private readonly ConcurrentDictionary<IPEndPoint, ConcurrentBag<IPEndPoint>> _contacted = new ConcurrentDictionary<IPEndPoint, ConcurrentBag<IPEndPoint>>();
        // Lazy: GetOrAdd may run its factory twice when two requests from one client arrive at once, and a second Bind
        // to the same endpoint would throw inside the serve loop and silence that server address for the rest of the test.
        private readonly ConcurrentDictionary<int, Lazy<Socket>> _reflectors = new ConcurrentDictionary<int, Lazy<Socket>>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private int _nextPort = 20000;
        private int _received;

        public FakeStunServer(NatMapping mapping = NatMapping.EndpointIndependent, NatFiltering filtering = NatFiltering.AddressAndPortDependent)
        {
            Mapping = mapping;
            Filtering = filtering;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var primary = Bind(new IPEndPoint(PrimaryIp, 0));
                    var alternatePort = Bind(new IPEndPoint(PrimaryIp, 0));
                    Bind(new IPEndPoint(AlternateIp, primary.Port));
                    Bind(new IPEndPoint(AlternateIp, alternatePort.Port));
                    Primary = primary;
                    Other = new IPEndPoint(AlternateIp, alternatePort.Port);
                    break;
                }
                catch (SocketException) when (attempt < 10)
                {
                    // The same port was taken on 127.0.0.2; start over with fresh ports.
                    CloseAll();
                }
            }

            foreach (var pair in _sockets)
            {
                _ = Task.Run(() => ServeAsync(pair.Value, pair.Key));
            }
        }

        public enum NatMapping
        {
            Direct,
            EndpointIndependent,
            AddressDependent,
            AddressAndPortDependent,
        }

        public enum NatFiltering
        {
            None,
            EndpointIndependent,
            AddressDependent,
            AddressAndPortDependent,
        }

        public IPEndPoint Primary { get; } = null!;

        public IPEndPoint Other { get; } = null!;

        public NatMapping Mapping { get; set; }

        public NatFiltering Filtering { get; set; }

        /// <summary>Drop every request: the path blocks UDP.</summary>
        public bool Blocked { get; set; }

        public bool SendOtherAddress { get; set; } = true;

        /// <summary>Answer CHANGE-REQUEST from the address the request came to, as a server without RFC 5780 does.</summary>
        public bool IgnoreChangeRequest { get; set; }

        /// <summary>Reflect datagrams sent to a mapped address back to the client, as a NAT that hairpins does.</summary>
        public bool Hairpin { get; set; }

        /// <summary>Decides per received request (numbered from 1) whether it is lost before the server sees it.</summary>
        internal Func<int, StunMessage, bool>? DropRequest { get; set; }

        /// <summary>Called before each real answer, with a way to send raw datagrams to the client from any server socket.</summary>
        internal Action<StunMessage, IPEndPoint, Action<byte[], IPEndPoint?>>? BeforeAnswer { get; set; }

        internal ConcurrentQueue<(IPEndPoint Source, IPEndPoint Destination, StunMessage Request)> Requests { get; } =
            new ConcurrentQueue<(IPEndPoint, IPEndPoint, StunMessage)>();

        public int ReceivedCount => Volatile.Read(ref _received);

        public event Action<int>? Received;

        public int FilteredAnswers;

        public void Dispose()
        {
            _stop.Cancel();
            CloseAll();
            foreach (var reflector in _reflectors.Values.Where(r => r.IsValueCreated))
            {
                reflector.Value.Dispose();
            }
        }

        private IPEndPoint Bind(IPEndPoint endPoint)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(endPoint);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            var bound = (IPEndPoint)socket.LocalEndPoint!;
            _sockets[bound] = socket;
            return bound;
        }

        private void CloseAll()
        {
            foreach (var socket in _sockets.Values)
            {
                socket.Dispose();
            }

            _sockets.Clear();
        }

        private async Task ServeAsync(Socket socket, IPEndPoint local)
        {
            var buffer = new byte[2048];
            while (!_stop.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await socket.ReceiveFromAsync(new ArraySegment<byte>(buffer), SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));
                }
                catch (Exception e) when (e is ObjectDisposedException || e is SocketException)
                {
                    return;
                }

                var source = (IPEndPoint)received.RemoteEndPoint;
                StunMessage request;
                try
                {
                    request = StunMessage.Decode(buffer, 0, received.ReceivedBytes);
                }
                catch (StunException)
                {
                    continue;
                }

                var number = Interlocked.Increment(ref _received);
                Requests.Enqueue((source, local, request));
                Received?.Invoke(number);
                if (Blocked || (DropRequest?.Invoke(number, request) ?? false))
                {
                    continue;
                }

                Answer(request, local, source);
            }
        }

        private void Answer(StunMessage request, IPEndPoint arrivedOn, IPEndPoint client)
        {
            _contacted.GetOrAdd(client, _ => new ConcurrentBag<IPEndPoint>()).Add(arrivedOn);
            var mapped = MapFor(client, arrivedOn);
            var changeIp = request.ChangeIp == true && !IgnoreChangeRequest;
            var changePort = request.ChangePort == true && !IgnoreChangeRequest;
            var fromIp = changeIp ? (arrivedOn.Address.Equals(PrimaryIp) ? AlternateIp : PrimaryIp) : arrivedOn.Address;
            var fromPort = changePort ? (arrivedOn.Port == Primary.Port ? Other.Port : Primary.Port) : arrivedOn.Port;
            var from = new IPEndPoint(fromIp, fromPort);
            if (!Allowed(client, from))
            {
                Interlocked.Increment(ref FilteredAnswers);
                return;
            }

            var attributes = new List<StunAttribute>
            {
                StunAttribute.XorMappedAddress(mapped, request.TransactionId),
                StunAttribute.MappedAddress(mapped),
                StunAttribute.ResponseOrigin(from),
            };
            if (SendOtherAddress)
            {
                attributes.Add(StunAttribute.OtherAddress(Other));
            }

            var response = new StunMessage(StunMessageClass.SuccessResponse, StunMethod.Binding, request.TransactionId, attributes);
            BeforeAnswer?.Invoke(request, client, (bytes, sender) => Send(bytes, sender ?? from, client));
            Send(response.Encode(true), from, client);
        }

        private void Send(byte[] bytes, IPEndPoint from, IPEndPoint to)
        {
            if (_sockets.TryGetValue(from, out var socket))
            {
                socket.SendTo(bytes, to);
                return;
            }

            using var other = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            other.Bind(from);
            other.SendTo(bytes, to);
        }

        private bool Allowed(IPEndPoint client, IPEndPoint from)
        {
            var contacted = _contacted.GetOrAdd(client, _ => new ConcurrentBag<IPEndPoint>());
            return Filtering switch
            {
                NatFiltering.None or NatFiltering.EndpointIndependent => true,
                NatFiltering.AddressDependent => contacted.Any(c => c.Address.Equals(from.Address)),
                _ => contacted.Any(c => c.Equals(from)),
            };
        }

        private IPEndPoint MapFor(IPEndPoint client, IPEndPoint destination)
        {
            switch (Mapping)
            {
                case NatMapping.Direct:
                    return client;
                case NatMapping.EndpointIndependent:
                    var mapped = new IPEndPoint(PublicIp, client.Port);
                    if (Hairpin)
                    {
                        _ = _reflectors.GetOrAdd(client.Port, _ => new Lazy<Socket>(() => Reflector(mapped, client), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
                    }

                    return mapped;
                default:
                    var key = Mapping == NatMapping.AddressDependent ? client + ">" + destination.Address : client + ">" + destination;
                    return _mappings.GetOrAdd(key, _ => new IPEndPoint(PublicIp, Interlocked.Increment(ref _nextPort)));
            }
        }

        private Socket Reflector(IPEndPoint mapped, IPEndPoint client)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(mapped);
            _ = Task.Run(async () =>
            {
                var buffer = new byte[2048];
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        var got = await socket.ReceiveFromAsync(new ArraySegment<byte>(buffer), SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));
                        socket.SendTo(buffer, 0, got.ReceivedBytes, SocketFlags.None, client);
                    }
                    catch (Exception e) when (e is ObjectDisposedException || e is SocketException)
                    {
                        return;
                    }
                }
            });
            return socket;
        }
    }
}
