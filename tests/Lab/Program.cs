using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Lab
{
    /// <summary>
    /// Network probes to run inside a lab namespace (<c>ip netns exec NS dotnet PSUpnp.Lab.dll ...</c>), because the
    /// machines have no nc or socat. Exit 0: the probe saw what it was told to expect; 1: it did not (reason on stderr);
    /// 2: bad usage.
    /// </summary>
    public static class Program
    {
        private const string Usage =
@"usage: PSUpnp.Lab <probe> [options]
  tcp-connect IP PORT --expect-token T [--bind IP] [--timeout SEC]
      connect, read one line, exit 0 when it is T
  tcp-listen PORT --token T [--bind IP] [--timeout SEC]
      accept one connection, send T and a newline, print the peer's endpoint
  udp-send IP PORT --payload T [--bind IP] [--bind-port PORT] [--expect-reply T2] [--timeout SEC]
      send one datagram; with --expect-reply wait for a datagram whose text is T2
  udp-listen PORT [--bind IP] [--expect-payload T] [--reply T2] [--timeout SEC]
      receive one datagram (optionally check its text), print the sender, optionally answer it
  capture-fixtures DIR
      (in the lan namespace) record miniupnpd's answers into DIR; see capture-fixtures.sh
  capture-port-control-fixtures DIR
      (in the lan namespace) record miniupnpd's NAT-PMP and PCP answers into DIR; see capture-fixtures.sh";

        public static async Task<int> Main(string[] args)
        {
            if (args.Length == 0)
            {
                Console.Error.WriteLine(Usage);
                return 2;
            }

            Options options;
            try
            {
                options = Options.Parse(args);
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine(ex.Message);
                Console.Error.WriteLine(Usage);
                return 2;
            }

            using var bound = new CancellationTokenSource(options.Timeout);
            try
            {
                switch (args[0])
                {
                    case "tcp-connect": return await TcpConnectAsync(options, bound.Token).ConfigureAwait(false);
                    case "tcp-listen": return await TcpListenAsync(options, bound.Token).ConfigureAwait(false);
                    case "udp-send": return await UdpSendAsync(options, bound.Token).ConfigureAwait(false);
                    case "udp-listen": return await UdpListenAsync(options, bound.Token).ConfigureAwait(false);
                    case "capture-fixtures":
                        return await new FixtureCapture(LabEnvironment.Load(), options.Positional(1)).RunAsync(bound.Token).ConfigureAwait(false);
                    case "capture-port-control-fixtures":
                        return await new PortControlCapture(LabEnvironment.Load(), options.Positional(1)).RunAsync(bound.Token).ConfigureAwait(false);
                    default:
                        Console.Error.WriteLine("unknown probe '" + args[0] + "'");
                        Console.Error.WriteLine(Usage);
                        return 2;
                }
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested)
            {
                Console.Error.WriteLine(args[0] + ": nothing happened within " + options.Timeout.TotalSeconds + " s");
                return 1;
            }
            catch (SocketException ex)
            {
                Console.Error.WriteLine(args[0] + ": " + ex.SocketErrorCode + ": " + ex.Message);
                return 1;
            }
            catch (System.IO.IOException ex)
            {
                Console.Error.WriteLine(args[0] + ": " + ex.Message);
                return 1;
            }
        }

        private static async Task<int> TcpConnectAsync(Options options, CancellationToken cancellationToken)
        {
            var expected = options.Required("--expect-token");
            var server = new IPEndPoint(options.Address(1), options.Port(2));
            var line = await TcpProbe.ReadTokenAsync(server, options.OptionalAddress("--bind"), cancellationToken).ConfigureAwait(false);
            Console.WriteLine("received '" + line + "' from " + server);
            if (line != expected)
            {
                Console.Error.WriteLine("tcp-connect: expected token '" + expected + "' from " + server + " but read '" + line + "'");
                return 1;
            }

            return 0;
        }

        private static async Task<int> TcpListenAsync(Options options, CancellationToken cancellationToken)
        {
            var token = options.Required("--token");
            var listener = new TcpListener(options.OptionalAddress("--bind") ?? IPAddress.Any, options.Port(1));
            listener.Start();
            try
            {
                Console.WriteLine("listening on " + listener.LocalEndpoint);
                var peer = await TcpProbe.ServeTokenOnceAsync(listener, token, cancellationToken).ConfigureAwait(false);
                Console.WriteLine("accepted from " + peer);
                return 0;
            }
            finally
            {
                listener.Stop();
            }
        }

        private static async Task<int> UdpSendAsync(Options options, CancellationToken cancellationToken)
        {
            var payload = Encoding.UTF8.GetBytes(options.Required("--payload"));
            var target = new IPEndPoint(options.Address(1), options.Port(2));
            var bindPort = options.Optional("--bind-port");
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(options.OptionalAddress("--bind") ?? IPAddress.Any, bindPort == null ? 0 : ParsePort(bindPort)));
            await socket.SendToAsync(payload, SocketFlags.None, target, cancellationToken).ConfigureAwait(false);
            Console.WriteLine("sent " + payload.Length + " bytes from " + socket.LocalEndPoint + " to " + target);
            var expected = options.Optional("--expect-reply");
            if (expected == null)
            {
                return 0;
            }

            var buffer = new byte[65535];
            var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken).ConfigureAwait(false);
            var text = Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes);
            Console.WriteLine("reply from " + received.RemoteEndPoint + ": " + text);
            if (text != expected)
            {
                Console.Error.WriteLine("udp-send: expected reply '" + expected + "' but got '" + text + "'");
                return 1;
            }

            return 0;
        }

        private static async Task<int> UdpListenAsync(Options options, CancellationToken cancellationToken)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(options.OptionalAddress("--bind") ?? IPAddress.Any, options.Port(1)));
            Console.WriteLine("listening on " + socket.LocalEndPoint);
            var buffer = new byte[65535];
            var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken).ConfigureAwait(false);
            var text = Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes);
            Console.WriteLine("received from " + received.RemoteEndPoint + ": " + text);
            var expected = options.Optional("--expect-payload");
            if (expected != null && text != expected)
            {
                Console.Error.WriteLine("udp-listen: expected payload '" + expected + "' but got '" + text + "'");
                return 1;
            }

            var reply = options.Optional("--reply");
            if (reply != null)
            {
                await socket.SendToAsync(Encoding.UTF8.GetBytes(reply), SocketFlags.None, received.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }

        private static int ParsePort(string text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < 0 || port > 65535)
            {
                throw new FormatException("'" + text + "' is not a port");
            }

            return port;
        }

        /// <summary>Positional arguments and --name value pairs.</summary>
        private sealed class Options
        {
            private readonly List<string> positional = new List<string>();
            private readonly Dictionary<string, string> named = new Dictionary<string, string>(StringComparer.Ordinal);

            public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(10);

            public static Options Parse(string[] args)
            {
                var options = new Options();
                for (var i = 0; i < args.Length; i++)
                {
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        if (i + 1 >= args.Length)
                        {
                            throw new FormatException("option " + args[i] + " needs a value");
                        }

                        options.named[args[i]] = args[++i];
                    }
                    else
                    {
                        options.positional.Add(args[i]);
                    }
                }

                var timeout = options.Optional("--timeout");
                if (timeout != null)
                {
                    if (!double.TryParse(timeout, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                    {
                        throw new FormatException("--timeout takes a positive number of seconds");
                    }

                    options.Timeout = TimeSpan.FromSeconds(seconds);
                }

                return options;
            }

            public string? Optional(string name) => named.TryGetValue(name, out var value) ? value : null;

            public string Required(string name) => Optional(name) ?? throw new FormatException("missing " + name);

            public string Positional(int index) =>
                index < positional.Count ? positional[index] : throw new FormatException("missing argument " + index);

            public int Port(int index) => ParsePort(Positional(index));

            public IPAddress Address(int index) => ParseAddress(Positional(index));

            public IPAddress? OptionalAddress(string name)
            {
                var text = Optional(name);
                return text == null ? null : ParseAddress(text);
            }

            private static IPAddress ParseAddress(string text) =>
                IPAddress.TryParse(text, out var address) ? address : throw new FormatException("'" + text + "' is not an IP address");
        }
    }
}
