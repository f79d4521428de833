using System;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Diagnostics
{
    /// <summary>The two looks Test-UpnpPortMapping takes at a port from this host: is anything there, and does the router hairpin.</summary>
    internal static class ConnectionProbe
    {
        /// <summary>Whether a TCP connection to <paramref name="endPoint"/> is accepted within <paramref name="bound"/>: "accepted", "refused" or "no answer".</summary>
        public static async Task<string> TcpAsync(IPEndPoint endPoint, TimeSpan bound, CancellationToken cancellationToken)
        {
            using (var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                limit.CancelAfter(bound);

                // Connect on netstandard2.0 takes no token: closing the socket ends it.
                using (limit.Token.Register(socket.Dispose))
                {
                    try
                    {
                        await Task.Factory.FromAsync(socket.BeginConnect, socket.EndConnect, endPoint, null).ConfigureAwait(false);
                        return "accepted";
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                    {
                        return "refused";
                    }
                    catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        return limit.IsCancellationRequested ? "no answer" : "failed (" + e.Message + ")";
                    }
                }
            }
        }

        /// <summary>Whether a UDP socket of this host is bound to <paramref name="port"/> on <paramref name="address"/> or on every address.</summary>
        public static bool UdpBound(IPAddress address, int port) =>
            IPGlobalProperties.GetIPGlobalProperties().GetActiveUdpListeners()
                .Any(l => l.Port == port && (l.Address.Equals(address) || l.Address.Equals(IPAddress.Any) || l.Address.Equals(IPAddress.IPv6Any)));
    }
}
