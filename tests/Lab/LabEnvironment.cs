using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace PSUpnp.Lab
{
    /// <summary>
    /// The lab's address plan, read from tests/Lab/lab.conf (the file lab.sh sources) with the namespace prefix applied.
    /// </summary>
    public sealed class LabEnvironment
    {
        public const string PrefixVariable = "PSUPNP_LAB_PREFIX";
        public const string LabDirectoryVariable = "PSUPNP_LAB_DIR";

        private static readonly Regex PrefixPattern = new Regex("^[a-z][a-z0-9]{0,11}$", RegexOptions.CultureInvariant);

        private LabEnvironment(IReadOnlyDictionary<string, string> values, string labDirectory, string prefix)
        {
            Values = values;
            LabDirectory = labDirectory;
            Prefix = prefix;
            LanNamespace = prefix + "-" + Text("NS_LAN_SUFFIX");
            Lan2Namespace = prefix + "-" + Text("NS_LAN2_SUFFIX");
            RouterNamespace = prefix + "-" + Text("NS_RTR_SUFFIX");
            WanNamespace = prefix + "-" + Text("NS_WAN_SUFFIX");
            EdgeNamespace = prefix + "-" + Text("NS_EDGE_SUFFIX");
            LanAddress = Address("LAN_IP");
            Lan2Address = Address("LAN2_IP");
            LanOpenAddress = Address("LAN_OPEN_IP");
            RouterLanAddress = Address("RTR_LAN_IP");
            RouterWanAddress = Address("RTR_WAN_IP");
            WanAddress1 = Address("WAN_IP1");
            WanAddress2 = Address("WAN_IP2");
            EdgeWanAddress = Address("EDGE_WAN_IP");
            CgnatEdgeAddress = Address("CGNAT_EDGE_IP");
            CgnatRouterAddress = Address("CGNAT_RTR_IP");
            BoxLanAddress = Address("BOX_LAN_IP");
            BoxRouterAddress = Address("BOX_RTR_IP");
            LanAddress6 = Address("LAN_IP6", AddressFamily.InterNetworkV6);
            Lan2Address6 = Address("LAN2_IP6", AddressFamily.InterNetworkV6);
            RouterLanAddress6 = Address("RTR_LAN_IP6", AddressFamily.InterNetworkV6);
            WanAddress6 = Address("WAN_IP6", AddressFamily.InterNetworkV6);
            RouterWanAddressChanged = Address("RTR_WAN_IP_CHANGED");
            CgnatSubnet = Text("CGNAT_SUBNET");
            BoxSubnet = Text("BOX_SUBNET");
            BoxMiniupnpdUuid = Text("BOX_MINIUPNPD_UUID");
            LanSubnet = Text("LAN_SUBNET");
            WanSubnet = Text("WAN_SUBNET");
            OpenSubnet = Text("OPEN_SUBNET");
            MiniupnpdHttpPort = Port("MINIUPNPD_HTTP_PORT");
            MiniupnpdDeniedPort = Port("MINIUPNPD_DENIED_PORT");
            MiniupnpdUuid = Text("MINIUPNPD_UUID");
            NatPmpPort = Port("NATPMP_PORT");
            StunPort = Port("STUN_PORT");
            StunAltPort = Port("STUN_ALT_PORT");
            DefaultNatMode = NatModes.Parse(Text("DEFAULT_NAT_MODE"));
        }

        /// <summary>Every KEY=VALUE of lab.conf, as written.</summary>
        public IReadOnlyDictionary<string, string> Values { get; }

        /// <summary>tests/Lab: where lab.sh and lab.conf live.</summary>
        public string LabDirectory { get; }

        public string LabScript => Path.Combine(LabDirectory, "lab.sh");

        public string Prefix { get; }

        /// <summary>Where lab.sh keeps this prefix's daemons' configuration, pidfiles and logs.</summary>
        public string StateDirectory => "/tmp/psupnp-lab-" + Prefix;

        public string LanNamespace { get; }

        public string Lan2Namespace { get; }

        public string RouterNamespace { get; }

        public string WanNamespace { get; }

        /// <summary>The lan client's private address (behind the NAT); the test host runs in its namespace.</summary>
        public IPAddress LanAddress { get; }

        public IPAddress Lan2Address { get; }

        /// <summary>The lan client's second address, routed without NAT: bind to it to be "on the open internet".</summary>
        public IPAddress LanOpenAddress { get; }

        /// <summary>The router's br0 address: the default gateway, miniupnpd's HTTP, SSDP and NAT-PMP endpoint.</summary>
        public IPAddress RouterLanAddress { get; }

        /// <summary>The router's external (WAN) address: what GetExternalIPAddress and STUN report under NAT.</summary>
        public IPAddress RouterWanAddress { get; }

        /// <summary>The WAN host's primary address: coturn's first listener.</summary>
        public IPAddress WanAddress1 { get; }

        /// <summary>The WAN host's second address: coturn's alternate address for RFC 5780.</summary>
        public IPAddress WanAddress2 { get; }

        public string LanSubnet { get; }

        public string WanSubnet { get; }

        public string OpenSubnet { get; }

        public int MiniupnpdHttpPort { get; }

        /// <summary>The internal port miniupnpd's permission rules deny: a mapping to it gets fault 606.</summary>
        public int MiniupnpdDeniedPort { get; }

        public string MiniupnpdUuid { get; }

        public int NatPmpPort { get; }

        public int StunPort { get; }

        public int StunAltPort { get; }

        public NatMode DefaultNatMode { get; }

        /// <summary>The edge namespace (carrier NAT or provider box) of the cgnat and double-router field modes.</summary>
        public string EdgeNamespace { get; }

        /// <summary>The edge's public address: the carrier's or the provider box's, what STUN sees in those modes.</summary>
        public IPAddress EdgeWanAddress { get; }

        /// <summary>The carrier NAT's inside address (cgnat): the router's gateway.</summary>
        public IPAddress CgnatEdgeAddress { get; }

        /// <summary>The router's WAN address in cgnat, in CgnatSubnet (100.64.0.0/10).</summary>
        public IPAddress CgnatRouterAddress { get; }

        public string CgnatSubnet { get; }

        /// <summary>The provider box's LAN address (double-router): the router's gateway and the box's miniupnpd.</summary>
        public IPAddress BoxLanAddress { get; }

        /// <summary>The router's WAN address in double-router, on the box's LAN (BoxSubnet).</summary>
        public IPAddress BoxRouterAddress { get; }

        /// <summary>The lan client's global-looking IPv6 address (no NAT66: what a pinhole opens).</summary>
        public IPAddress LanAddress6 { get; }

        public IPAddress Lan2Address6 { get; }

        /// <summary>The router's IPv6 address on br0: the LAN's IPv6 default route, miniupnpd's IPv6 HTTP endpoint.</summary>
        public IPAddress RouterLanAddress6 { get; }

        /// <summary>The WAN host's IPv6 address: the "internet" peer that pinholes let in.</summary>
        public IPAddress WanAddress6 { get; }

        /// <summary>miniupnpd's lease_file6: each pinhole's UniqueID and expiry (seconds since the epoch) as the router holds them.</summary>
        public string PinholeLeaseFile => System.IO.Path.Combine(StateDirectory, Values["MINIUPNPD_PINHOLE_LEASES"]);

        public string BoxSubnet { get; }

        public string BoxMiniupnpdUuid { get; }

        /// <summary>The box's miniupnpd description URL (double-router), reachable from the router's namespace.</summary>
        public Uri BoxRootDescriptionUrl => new Uri("http://" + BoxLanAddress + ":" + MiniupnpdHttpPort + "/rootDesc.xml");

        /// <summary>The router's WAN address in wan-change.</summary>
        public IPAddress RouterWanAddressChanged { get; }

        /// <summary>miniupnpd's device description URL.</summary>
        public Uri RootDescriptionUrl => new Uri("http://" + RouterLanAddress + ":" + MiniupnpdHttpPort + "/rootDesc.xml");

        /// <summary>coturn's primary STUN endpoint.</summary>
        public IPEndPoint StunServer => new IPEndPoint(WanAddress1, StunPort);

        public string NamespaceOf(LabRole role)
        {
            switch (role)
            {
                case LabRole.Lan: return LanNamespace;
                case LabRole.Lan2: return Lan2Namespace;
                case LabRole.Router: return RouterNamespace;
                case LabRole.Wan: return WanNamespace;
                case LabRole.Edge: return EdgeNamespace;
                default: throw new ArgumentOutOfRangeException(nameof(role), role, "unknown lab role");
            }
        }

        /// <summary>The address a lan-namespace test binds to for a NAT mode: the open one for Open, else the private one.</summary>
        public IPAddress ClientAddressFor(NatMode mode) => mode == NatMode.Open ? LanOpenAddress : LanAddress;

        /// <summary>True when this process runs in the lab's lan namespace (its private address is on a local interface).</summary>
        public bool IsCurrentProcessInLan()
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(nic => nic.OperationalStatus == OperationalStatus.Up)
                .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
                .Any(unicast => unicast.Address.Equals(LanAddress));
        }

        /// <summary>
        /// Loads lab.conf from PSUPNP_LAB_DIR, else from tests/Lab above this assembly; the prefix from PSUPNP_LAB_PREFIX,
        /// else the file's DEFAULT_PREFIX.
        /// </summary>
        public static LabEnvironment Load()
        {
            var dir = Environment.GetEnvironmentVariable(LabDirectoryVariable);
            if (string.IsNullOrEmpty(dir))
            {
                dir = FindLabDirectory(AppContext.BaseDirectory);
            }

            return Load(dir!, Environment.GetEnvironmentVariable(PrefixVariable));
        }

        public static LabEnvironment Load(string labDirectory, string? prefix)
        {
            var conf = Path.Combine(labDirectory, "lab.conf");
            if (!File.Exists(conf))
            {
                throw new FileNotFoundException("The lab's address plan is missing; set " + LabDirectoryVariable + " to tests/Lab.", conf);
            }

            return Parse(File.ReadAllText(conf), labDirectory, prefix);
        }

        /// <summary>Parses lab.conf's text; the same rules as lab.sh (KEY=VALUE lines, '#' comment lines).</summary>
        public static LabEnvironment Parse(string confText, string labDirectory, string? prefix)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var lineNumber = 0;
            foreach (var raw in confText.Split('\n'))
            {
                lineNumber++;
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var eq = line.IndexOf('=');
                if (eq <= 0)
                {
                    throw new FormatException("lab.conf line " + lineNumber + " is not KEY=VALUE: " + line);
                }

                // Later lines win, as when the shell sources the file.
                values[line.Substring(0, eq)] = line.Substring(eq + 1);
            }

            var effectivePrefix = string.IsNullOrEmpty(prefix) ? Lookup(values, "DEFAULT_PREFIX") : prefix!;
            if (!PrefixPattern.IsMatch(effectivePrefix))
            {
                throw new FormatException(PrefixVariable + " '" + effectivePrefix + "' is invalid: use 1 to 12 lower-case letters and digits, starting with a letter.");
            }

            return new LabEnvironment(values, labDirectory, effectivePrefix);
        }

        private static string FindLabDirectory(string start)
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "Lab");
                if (File.Exists(Path.Combine(candidate, "lab.conf")))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException("tests/Lab/lab.conf not found above " + start + "; set " + LabDirectoryVariable + ".");
        }

        private static string Lookup(IReadOnlyDictionary<string, string> values, string key)
        {
            if (!values.TryGetValue(key, out var value) || value.Length == 0)
            {
                throw new FormatException("lab.conf has no value for " + key + ".");
            }

            return value;
        }

        private string Text(string key) => Lookup(Values, key);

        private IPAddress Address(string key, AddressFamily family = AddressFamily.InterNetwork)
        {
            var text = Text(key);
            if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != family)
            {
                throw new FormatException("lab.conf " + key + " is not an " + (family == AddressFamily.InterNetwork ? "IPv4" : "IPv6") + " address: " + text);
            }

            return address;
        }

        private int Port(string key)
        {
            var text = Text(key);
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port < 1 || port > 65535)
            {
                throw new FormatException("lab.conf " + key + " is not a port: " + text);
            }

            return port;
        }
    }
}
