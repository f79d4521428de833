using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Lab
{
    /// <summary>
    /// Drives the lab from a test: lab.sh subcommands (NAT mode, loss, miniupnpd) and programs run in a namespace with
    /// <c>ip netns exec</c>. The checked methods throw LabCommandException, carrying the command's stderr, when it
    /// exits non-zero or outlives its bound; <see cref="RunInAsync"/> and <see cref="RunProbeAsync"/> return the result.
    /// </summary>
    public sealed class LabController
    {
        /// <summary>The bound for an ordinary lab command; a hung one is killed and reported.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

        public LabController(LabEnvironment environment)
        {
            Environment = environment ?? throw new ArgumentNullException(nameof(environment));
        }

        public LabEnvironment Environment { get; }

        /// <summary>PSUpnp.Lab.dll, whose Main holds the probes.</summary>
        public static string ProbeAssemblyPath => typeof(LabController).Assembly.Location;

        /// <summary>The dotnet host that runs this process (dotnet test sets DOTNET_HOST_PATH), else dotnet from PATH.</summary>
        public static string DotnetHost
        {
            get
            {
                var host = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
                if (!string.IsNullOrEmpty(host) && File.Exists(host))
                {
                    return host!;
                }

                var self = System.Environment.ProcessPath;
                return self != null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
            }
        }

        /// <summary>Runs <c>lab.sh</c> for this prefix; throws when it fails.</summary>
        public async Task<CommandResult> RunLabScriptAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
        {
            var all = new List<string> { Environment.LabScript };
            all.AddRange(arguments);
            var result = await RunAsync("bash", all, DefaultTimeout, cancellationToken).ConfigureAwait(false);
            return result.EnsureSuccess();
        }

        /// <summary>Applies a NAT mode on the router (atomic; miniupnpd's chains are untouched).</summary>
        public Task SetNatModeAsync(NatMode mode, CancellationToken cancellationToken = default) =>
            RunLabScriptAsync(new[] { "nat", NatModes.ToLabName(mode) }, cancellationToken);

        /// <summary>The NAT mode lab.sh last applied.</summary>
        public NatMode GetNatMode() =>
            NatModes.Parse(File.ReadAllText(Path.Combine(Environment.StateDirectory, "nat-mode")).Trim());

        /// <summary>Drops this percentage of the router's LAN-side packets, both ways; 0 removes the rule.</summary>
        public Task SetPacketLossAsync(int percent, CancellationToken cancellationToken = default)
        {
            if (percent < 0 || percent > 100)
            {
                throw new ArgumentOutOfRangeException(nameof(percent), percent, "a loss rate is 0 to 100 percent");
            }

            return RunLabScriptAsync(new[] { "loss", percent.ToString(CultureInfo.InvariantCulture) }, cancellationToken);
        }

        /// <summary>Stops miniupnpd (its mappings are forgotten) and starts it again; returns once it answers HTTP.</summary>
        public Task RestartMiniupnpdAsync(CancellationToken cancellationToken = default) =>
            RunLabScriptAsync(new[] { "miniupnpd", "restart" }, cancellationToken);

        public Task StopMiniupnpdAsync(CancellationToken cancellationToken = default) =>
            RunLabScriptAsync(new[] { "miniupnpd", "stop" }, cancellationToken);

        public Task StartMiniupnpdAsync(CancellationToken cancellationToken = default) =>
            RunLabScriptAsync(new[] { "miniupnpd", "start" }, cancellationToken);

        /// <summary>
        /// Switches the situation around the router (lab.sh field): back to normal first, then into the mode. Entering or
        /// leaving any mode but WanChange restarts miniupnpd (its mappings are forgotten); returns once it answers.
        /// </summary>
        public Task SetFieldModeAsync(FieldMode mode, CancellationToken cancellationToken = default) =>
            RunLabScriptAsync(new[] { "field", FieldModes.ToLabName(mode) }, cancellationToken);

        /// <summary>The field mode lab.sh last applied (Normal when none was).</summary>
        public FieldMode GetFieldMode()
        {
            var file = Path.Combine(Environment.StateDirectory, "field");
            return File.Exists(file) ? FieldModes.Parse(File.ReadAllText(file).Trim()) : FieldMode.Normal;
        }

        /// <summary>
        /// The lab's default state: the normal field mode, the default NAT mode, no loss. miniupnpd and its mappings are
        /// left alone unless a field mode was on (leaving it restarts miniupnpd).
        /// </summary>
        public async Task ResetToDefaultsAsync(CancellationToken cancellationToken = default)
        {
            await SetFieldModeAsync(FieldMode.Normal, cancellationToken).ConfigureAwait(false);
            await SetPacketLossAsync(0, cancellationToken).ConfigureAwait(false);
            await SetNatModeAsync(Environment.DefaultNatMode, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The router's nftables ruleset (to assert the lab's own rules).</summary>
        public async Task<string> GetRouterRulesetAsync(CancellationToken cancellationToken = default) =>
            (await RunCheckedAsync(LabRole.Router, "nft", new[] { "list", "ruleset" }, cancellationToken).ConfigureAwait(false)).StandardOutput;

        /// <summary>Runs upnpc in a namespace (lan or lan2) and returns its stdout; throws when it exits non-zero.</summary>
        public async Task<string> RunUpnpcAsync(LabRole role, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
            (await RunCheckedAsync(role, "upnpc", arguments, cancellationToken).ConfigureAwait(false)).StandardOutput;

        /// <summary>upnpc against the lab's description URL, skipping its 2 s discovery: <c>upnpc -u URL args</c>.</summary>
        public async Task<string> RunUpnpcDirectAsync(LabRole role, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
            (await TryRunUpnpcDirectAsync(role, arguments, cancellationToken).ConfigureAwait(false)).EnsureSuccess().StandardOutput;

        /// <summary>As RunUpnpcDirectAsync, without throwing: upnpc exits non-zero when the router answers a fault.</summary>
        public Task<CommandResult> TryRunUpnpcDirectAsync(LabRole role, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
        {
            var all = new List<string> { "-u", Environment.RootDescriptionUrl.ToString() };
            all.AddRange(arguments);
            return RunInAsync(role, "upnpc", all, DefaultTimeout, cancellationToken);
        }

        /// <summary>
        /// coturn's own RFC 5780 classifier (<c>turnutils_natdiscovery -m -f -L local server</c>) run in the lan namespace,
        /// from <paramref name="localAddress"/> (default: the client address for the current NAT mode) to
        /// <paramref name="server"/> (default: WanAddress1).
        /// </summary>
        public async Task<NatDiscoveryResult> RunNatDiscoveryAsync(IPAddress? localAddress = null, IPAddress? server = null, CancellationToken cancellationToken = default)
        {
            var local = localAddress ?? Environment.ClientAddressFor(GetNatMode());
            var target = server ?? Environment.WanAddress1;
            var arguments = new[] { "-m", "-f", "-L", local.ToString(), "-p", Environment.StunPort.ToString(CultureInfo.InvariantCulture), target.ToString() };
            var result = await RunCheckedAsync(LabRole.Lan, "turnutils_natdiscovery", arguments, cancellationToken).ConfigureAwait(false);
            return NatDiscoveryResult.Parse(result.StandardOutput);
        }

        /// <summary>
        /// Every veth link in the namespaces of these roles: the namespace it is in, the namespace its peer is in (null
        /// when ip names none, as for a link to the root namespace) and ip's line for it.
        /// </summary>
        public async Task<IReadOnlyList<(string Namespace, string? PeerNamespace, string Line)>> ListVethLinksAsync(IEnumerable<LabRole> roles, CancellationToken cancellationToken = default)
        {
            var links = new List<(string, string?, string)>();
            foreach (var role in roles)
            {
                var output = (await RunCheckedAsync(role, "ip", new[] { "-o", "link", "show" }, cancellationToken).ConfigureAwait(false)).StandardOutput;
                foreach (var line in output.Split('\n').Where(l => l.Contains('@')))
                {
                    var peer = Regex.Match(line, @"link-netns (\S+)");
                    links.Add((Environment.NamespaceOf(role), peer.Success ? peer.Groups[1].Value : null, line));
                }
            }

            return links;
        }

        /// <summary>Runs a program in a namespace within DefaultTimeout; throws LabCommandException unless it exits 0.</summary>
        public async Task<CommandResult> RunCheckedAsync(LabRole role, string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
        {
            var result = await RunInAsync(role, program, arguments, DefaultTimeout, cancellationToken).ConfigureAwait(false);
            return result.EnsureSuccess();
        }

        /// <summary>Runs a program in a namespace and returns what it did, whatever its exit code.</summary>
        public Task<CommandResult> RunInAsync(LabRole role, string program, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            var all = new List<string> { "netns", "exec", Environment.NamespaceOf(role), program };
            all.AddRange(arguments);
            return RunAsync("ip", all, timeout, cancellationToken);
        }

        /// <summary>
        /// Runs one of this assembly's probes (tcp-connect, tcp-listen, udp-send, udp-listen: see Program) in a namespace,
        /// e.g. <c>RunProbeAsync(LabRole.Wan, new[] { "tcp-connect", ip, port, "--expect-token", token }, timeout)</c>.
        /// Returns the result; call EnsureSuccess() to require exit 0.
        /// </summary>
        public Task<CommandResult> RunProbeAsync(LabRole role, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            var all = new List<string> { ProbeAssemblyPath };
            all.AddRange(arguments);
            return RunInAsync(role, DotnetHost, all, timeout, cancellationToken);
        }

        /// <summary>Runs any program with this lab's prefix in its environment.</summary>
        public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [LabEnvironment.PrefixVariable] = Environment.Prefix,
            };
            return ProcessRunner.RunAsync(program, arguments, environment, timeout, cancellationToken);
        }
    }
}
