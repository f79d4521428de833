using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Lab
{
    /// <summary>
    /// Records the lab's miniupnpd answers, byte for byte, as the project's fixtures: M-SEARCH responses, the device
    /// description, and SOAP responses and faults. Runs in the lan namespace (capture-fixtures.sh arranges it) and
    /// speaks raw UDP and HTTP, so it depends on nothing in the engine it provides fixtures for.
    /// </summary>
    internal sealed class FixtureCapture
    {
        private const string ServiceType = "urn:schemas-upnp-org:service:WANIPConnection:2";
        private const string ControlPath = "/ctl/IPConn";
        private static readonly IPEndPoint SsdpGroup = new IPEndPoint(IPAddress.Parse("239.255.255.250"), 1900);

        private readonly LabEnvironment env;
        private readonly LabController lab;
        private readonly string outputDirectory;
        private readonly List<string> written = new List<string>();

        public FixtureCapture(LabEnvironment env, string outputDirectory)
        {
            this.env = env;
            lab = new LabController(env);
            this.outputDirectory = outputDirectory;
        }

        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            if (!env.IsCurrentProcessInLan())
            {
                Console.Error.WriteLine("capture-fixtures must run in the lab's lan namespace (" + env.LanNamespace + ").");
                return 1;
            }

            Directory.CreateDirectory(outputDirectory);
            foreach (var target in new[] { "urn:schemas-upnp-org:device:InternetGatewayDevice:1", "urn:schemas-upnp-org:device:InternetGatewayDevice:2", "urn:schemas-upnp-org:service:WANIPConnection:2" })
            {
                var answers = await SearchAsync(target, cancellationToken).ConfigureAwait(false);
                if (answers.Count != 1)
                {
                    throw new InvalidOperationException("expected one M-SEARCH answer for " + target + ", got " + answers.Count);
                }

                Save("msearch-response-" + target.Split(':')[3] + "-" + target.Split(':')[4] + ".bin", answers[0]);
            }

            var description = await HttpAsync(Encoding.ASCII.GetBytes(
                "GET /rootDesc.xml HTTP/1.1\r\nHost: " + Authority + "\r\nConnection: close\r\n\r\n"), cancellationToken).ConfigureAwait(false);
            Save("rootDesc.http", description);
            Save("rootDesc.xml", Body(description));

            var lan = env.LanAddress.ToString();
            // The second client holds a port first, so that the first client's request for it is a conflict (718).
            const string Lan2Port = "18100";
            await lab.RunUpnpcDirectAsync(LabRole.Lan2, new[] { "-e", "held by lan2", "-a", env.Lan2Address.ToString(), Lan2Port, Lan2Port, "UDP", "3600" }, cancellationToken).ConfigureAwait(false);

            await SoapAsync("GetExternalIPAddress.http", "GetExternalIPAddress", cancellationToken).ConfigureAwait(false);
            await SoapAsync("GetStatusInfo.http", "GetStatusInfo", cancellationToken).ConfigureAwait(false);
            await SoapAsync("AddPortMapping.http", "AddPortMapping", cancellationToken, Mapping("18001", "TCP", lan, "18001", "psupnp fixture", "3600")).ConfigureAwait(false);
            await SoapAsync(null, "AddPortMapping", cancellationToken, Mapping("18002", "UDP", lan, "18002", "psupnp fixture udp", "7200")).ConfigureAwait(false);
            // Not kept as a fixture since the engine no longer sends AddAnyPortMapping; its entry is the one
            // GetGenericPortMappingEntry.http shows (miniupnpd lists its newest entry first).
            await SoapAsync(null, "AddAnyPortMapping", cancellationToken, Mapping("18003", "TCP", lan, "18003", "psupnp fixture any", "3600")).ConfigureAwait(false);
            await SoapAsync("GetSpecificPortMappingEntry.http", "GetSpecificPortMappingEntry", cancellationToken, Entry("18001", "TCP")).ConfigureAwait(false);
            await SoapAsync("GetGenericPortMappingEntry.http", "GetGenericPortMappingEntry", cancellationToken, Pair("NewPortMappingIndex", "0")).ConfigureAwait(false);
            await SoapAsync("GetListOfPortMappings.http", "GetListOfPortMappings", cancellationToken,
                Pair("NewStartPort", "1"), Pair("NewEndPort", "65535"), Pair("NewProtocol", "UDP"), Pair("NewManage", "1"), Pair("NewNumberOfPorts", "100")).ConfigureAwait(false);
            await SoapAsync("fault-713-GetGenericPortMappingEntry.http", "GetGenericPortMappingEntry", cancellationToken, Pair("NewPortMappingIndex", "100")).ConfigureAwait(false);
            await SoapAsync("fault-714-GetSpecificPortMappingEntry.http", "GetSpecificPortMappingEntry", cancellationToken, Entry("18999", "TCP")).ConfigureAwait(false);
            await SoapAsync("DeletePortMapping-absent.http", "DeletePortMapping", cancellationToken, Entry("18999", "TCP")).ConfigureAwait(false);
            await SoapAsync("fault-718-AddPortMapping.http", "AddPortMapping", cancellationToken, Mapping(Lan2Port, "UDP", lan, Lan2Port, "conflict", "3600")).ConfigureAwait(false);
            await SoapAsync("fault-606-AddPortMapping.http", "AddPortMapping", cancellationToken,
                Mapping("18080", "TCP", lan, env.MiniupnpdDeniedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "denied port", "3600")).ConfigureAwait(false);
            await SoapAsync("fault-402-AddPortMapping.http", "AddPortMapping", cancellationToken, Entry("18004", "TCP")).ConfigureAwait(false);
            await SoapAsync("DeletePortMapping.http", "DeletePortMapping", cancellationToken, Entry("18001", "TCP")).ConfigureAwait(false);
            await SoapAsync(null, "DeletePortMapping", cancellationToken, Entry("18002", "UDP")).ConfigureAwait(false);
            await SoapAsync(null, "DeletePortMapping", cancellationToken, Entry("18003", "TCP")).ConfigureAwait(false);
            await lab.RunUpnpcDirectAsync(LabRole.Lan2, new[] { "-d", Lan2Port, "UDP" }, cancellationToken).ConfigureAwait(false);

            foreach (var name in written)
            {
                Console.WriteLine("wrote " + name);
            }

            return 0;
        }

        private string Authority => env.RouterLanAddress + ":" + env.MiniupnpdHttpPort;

        private static KeyValuePair<string, string> Pair(string name, string value) => new KeyValuePair<string, string>(name, value);

        private static KeyValuePair<string, string>[] Entry(string externalPort, string protocol) => new[]
        {
            Pair("NewRemoteHost", string.Empty), Pair("NewExternalPort", externalPort), Pair("NewProtocol", protocol),
        };

        private static KeyValuePair<string, string>[] Mapping(string externalPort, string protocol, string client, string internalPort, string description, string lease) =>
            Entry(externalPort, protocol).Concat(new[]
            {
                Pair("NewInternalPort", internalPort), Pair("NewInternalClient", client), Pair("NewEnabled", "1"),
                Pair("NewPortMappingDescription", description), Pair("NewLeaseDuration", lease),
            }).ToArray();

        private async Task SoapAsync(string? fileName, string action, CancellationToken cancellationToken, params KeyValuePair<string, string>[] arguments)
        {
            var body = new StringBuilder();
            body.Append("<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>");
            body.Append("<u:").Append(action).Append(" xmlns:u=\"").Append(ServiceType).Append("\">");
            foreach (var argument in arguments)
            {
                body.Append('<').Append(argument.Key).Append('>').Append(SecurityElement.Escape(argument.Value)).Append("</").Append(argument.Key).Append('>');
            }

            body.Append("</u:").Append(action).Append("></s:Body></s:Envelope>\r\n");
            var content = Encoding.UTF8.GetBytes(body.ToString());
            var head = "POST " + ControlPath + " HTTP/1.1\r\nHost: " + Authority + "\r\nContent-Type: text/xml; charset=\"utf-8\"\r\n" +
                "SOAPAction: \"" + ServiceType + "#" + action + "\"\r\nContent-Length: " + content.Length + "\r\nConnection: close\r\n\r\n";
            var response = await HttpAsync(Encoding.ASCII.GetBytes(head).Concat(content).ToArray(), cancellationToken).ConfigureAwait(false);
            if (fileName != null)
            {
                Save(fileName, response);
            }
            else if (!Encoding.ASCII.GetString(response).StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(action + " failed: " + Encoding.UTF8.GetString(response));
            }
        }

        private async Task<byte[]> HttpAsync(byte[] request, CancellationToken cancellationToken)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(env.RouterLanAddress, env.MiniupnpdHttpPort), cancellationToken).ConfigureAwait(false);
            await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            using var response = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
            {
                response.Write(buffer, 0, read);
            }

            return response.ToArray();
        }

        private async Task<List<byte[]>> SearchAsync(string target, CancellationToken cancellationToken)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(env.LanAddress, 0));
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, env.LanAddress.GetAddressBytes());
            var request = Encoding.ASCII.GetBytes(
                "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: " + target + "\r\n\r\n");
            await socket.SendToAsync(request, SocketFlags.None, SsdpGroup, cancellationToken).ConfigureAwait(false);
            var answers = new List<byte[]>();
            var buffer = new byte[2048];
            // miniupnpd answers after a fixed 50 ms; the window only has to outlast that.
            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            window.CancelAfter(TimeSpan.FromSeconds(1.5));
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), window.Token).ConfigureAwait(false);
                    answers.Add(buffer.AsSpan(0, received.ReceivedBytes).ToArray());
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The window closed: every answer that came is in the list.
            }

            return answers;
        }

        private static byte[] Body(byte[] response)
        {
            var text = response.AsSpan();
            var end = text.IndexOf("\r\n\r\n"u8);
            return end < 0 ? throw new InvalidOperationException("no header end in the description response") : text.Slice(end + 4).ToArray();
        }

        private void Save(string name, byte[] bytes)
        {
            File.WriteAllBytes(Path.Combine(outputDirectory, name), bytes);
            written.Add(name + " (" + bytes.Length + " bytes)");
        }
    }
}
