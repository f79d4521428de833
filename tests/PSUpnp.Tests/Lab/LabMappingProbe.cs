using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Lab;
using Xunit;

namespace PSUpnp.Tests.Lab
{
    /// <summary>
    /// What a mapping looks like from outside the engine, for the lab tests of every way of making one (UPnP, NAT-PMP,
    /// PCP): whether the router's table lists it (upnpc -l in the LAN) and whether a TCP connection from the WAN host
    /// to the router's WAN address reaches a listener on the LAN client.
    /// </summary>
    internal static class LabMappingProbe
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

        /// <summary>True when upnpc -l lists external <paramref name="port"/> of <paramref name="protocol"/> to the LAN client's same port.</summary>
        public static async Task<bool> IsListedAsync(LabController lab, string protocol, int port)
        {
            var listing = (await lab.TryRunUpnpcDirectAsync(LabRole.Lan, new[] { "-l" })).StandardOutput;
            var entry = string.Format(CultureInfo.InvariantCulture, @"^\s*\d+\s+{0}\s+{1}->{2}:{1}\s", protocol, port, Regex.Escape(lab.Environment.LanAddress.ToString()));
            return Regex.IsMatch(listing, entry, RegexOptions.Multiline);
        }

        /// <summary>
        /// With UPnP switched off on the router (NAT-PMP and PCP stay on): a mapping made by <paramref name="map"/>
        /// forwards from the WAN host, and after <paramref name="delete"/> it no longer does. The field mode is put back.
        /// </summary>
        public static async Task AssertForwardsOnlyWhileMappedWithUpnpOffAsync(LabController lab, int port, Func<Task> map, Func<Task> delete)
        {
            await lab.SetFieldModeAsync(FieldMode.UpnpOff);
            try
            {
                await map();
                var whileMapped = await ConnectFromWanAsync(lab, port);
                await delete();
                var afterDelete = await ConnectFromWanAsync(lab, port);

                Assert.True(whileMapped.Succeeded, "the WAN host did not reach the mapping: " + whileMapped.StandardError + whileMapped.StandardOutput);
                Assert.Equal(1, afterDelete.ExitCode);
            }
            finally
            {
                await lab.SetFieldModeAsync(FieldMode.Normal);
            }
        }

        /// <summary>
        /// A listener on the LAN client's <paramref name="port"/> serving a token once; the WAN host connects to
        /// <paramref name="target"/>:port (by default the router's WAN address) and must read it. The probe's result:
        /// exit 0 when it read the token, 1 when it could not connect.
        /// </summary>
        public static async Task<CommandResult> ConnectFromWanAsync(LabController lab, int port, IPAddress? target = null)
        {
            var env = lab.Environment;
            var token = "probe-" + Guid.NewGuid().ToString("N");
            var listener = new TcpListener(env.LanAddress, port);
            listener.Start();
            using var cts = new CancellationTokenSource(Bound);
            var served = TcpProbe.ServeTokenOnceAsync(listener, token, cts.Token);
            try
            {
                var probe = await lab.RunProbeAsync(
                    LabRole.Wan,
                    new[] { "tcp-connect", (target ?? env.RouterWanAddress).ToString(), port.ToString(CultureInfo.InvariantCulture), "--expect-token", token, "--timeout", "3" },
                    Bound);
                if (probe.Succeeded)
                {
                    Assert.Equal(env.WanAddress1, (await served).Address);
                }

                return probe;
            }
            finally
            {
                cts.Cancel();
                listener.Stop();
                try
                {
                    await served;
                }
                catch (Exception e) when (e is OperationCanceledException || e is SocketException || e is ObjectDisposedException)
                {
                    // Nobody came: the accept ends cancelled, observed here rather than left to the finalizer.
                }
            }
        }
    }
}
