using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Lab
{
    /// <summary>
    /// The token exchange that proves a TCP path: the listener sends one line (the token) to the first client it
    /// accepts; the connector reads that line. A mapping forwards when the connector on the WAN reads the LAN's token.
    /// </summary>
    public static class TcpProbe
    {
        /// <summary>Accepts one connection, sends <paramref name="token"/> and a newline, returns the peer's endpoint.</summary>
        public static async Task<IPEndPoint> ServeTokenOnceAsync(TcpListener listener, string token, CancellationToken cancellationToken)
        {
            using var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            var remote = (IPEndPoint)client.Client.RemoteEndPoint!;
            var stream = client.GetStream();
            var line = Encoding.UTF8.GetBytes(token + "\n");
            await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            client.Client.Shutdown(SocketShutdown.Send);
            return remote;
        }

        /// <summary>Connects (from <paramref name="localAddress"/> when given) and returns the first line the server sends.</summary>
        public static async Task<string> ReadTokenAsync(IPEndPoint server, IPAddress? localAddress, CancellationToken cancellationToken)
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (localAddress != null)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }

            await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            using var stream = new NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            return line ?? throw new IOException("the server at " + server + " closed the connection without sending a line");
        }

        /// <summary>True when a TCP connection to <paramref name="endpoint"/> is accepted within the bound; false when it is
        /// refused or nothing answers in time.</summary>
        public static async Task<bool> ConnectsAsync(IPEndPoint endpoint, TimeSpan within)
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var cts = new CancellationTokenSource(within);
            try
            {
                await socket.ConnectAsync(endpoint, cts.Token).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is OperationCanceledException || e is SocketException)
            {
                return false;
            }
        }
    }
}
