using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using PSUpnp.Net;

namespace PSUpnp.Igd
{
    /// <summary>
    /// The IGD action table: each action of WANIPConnection / WANPPPConnection that the engine sends, its in arguments
    /// in the order the services define, and whether its request may go again when the answer seems lost. The resend
    /// rule is stated per action here, never guessed from the action's name.
    /// </summary>
    internal sealed class IgdAction
    {
        private static readonly string[] KeyArguments = { "NewRemoteHost", "NewExternalPort", "NewProtocol" };

        public static readonly IgdAction GetExternalIPAddress = new IgdAction("GetExternalIPAddress", HttpResend.Overlapping);
        public static readonly IgdAction GetStatusInfo = new IgdAction("GetStatusInfo", HttpResend.Overlapping);

        /// <summary>
        /// After the earlier copy's connection is closed, for a cut connection or for silence: on a lossy link TCP alone
        /// can take longer than the whole bound to bring an answer back (measured: 1 add in 20 under the lab's 30% loss).
        /// A copy that reaches a router still committing the first one is the same mapping for the same client, so the
        /// router holds one mapping either way, and a 718 to a copy that went again is recognised by the add operation.
        /// A router slower than the resend wait is still answered: the last copy waits for the whole bound.
        /// </summary>
        public static readonly IgdAction AddPortMapping = new IgdAction(
            "AddPortMapping",
            HttpResend.AfterClosing,
            "NewRemoteHost", "NewExternalPort", "NewProtocol", "NewInternalPort", "NewInternalClient", "NewEnabled", "NewPortMappingDescription", "NewLeaseDuration");

        /// <summary>After silence too: a second copy removes nothing more, and its 714 is recognised.</summary>
        public static readonly IgdAction DeletePortMapping = new IgdAction("DeletePortMapping", HttpResend.AfterClosing, KeyArguments);

        public static readonly IgdAction GetSpecificPortMappingEntry = new IgdAction("GetSpecificPortMappingEntry", HttpResend.Overlapping, KeyArguments);
        public static readonly IgdAction GetGenericPortMappingEntry = new IgdAction("GetGenericPortMappingEntry", HttpResend.Overlapping, "NewPortMappingIndex");

        public static readonly IgdAction GetListOfPortMappings = new IgdAction(
            "GetListOfPortMappings",
            HttpResend.Overlapping,
            "NewStartPort", "NewEndPort", "NewProtocol", "NewManage", "NewNumberOfPorts");

        // ---- WANIPv6FirewallControl:1 (IPv6 pinholes)

        public static readonly IgdAction GetFirewallStatus = new IgdAction("GetFirewallStatus", HttpResend.Overlapping);

        /// <summary>
        /// After closing, as AddPortMapping: the service defines an AddPinhole equal in every argument to a pinhole the
        /// router holds as a lease extension of that pinhole, answered with its UniqueID, so a second copy opens nothing more.
        /// </summary>
        public static readonly IgdAction AddPinhole = new IgdAction(
            "AddPinhole",
            HttpResend.AfterClosing,
            "RemoteHost", "RemotePort", "InternalClient", "InternalPort", "Protocol", "LeaseTime");

        /// <summary>After closing: a second copy sets the same lease again.</summary>
        public static readonly IgdAction UpdatePinhole = new IgdAction("UpdatePinhole", HttpResend.AfterClosing, "UniqueID", "NewLeaseTime");

        /// <summary>After closing: a second copy finds nothing (704), which the remove operation recognises.</summary>
        public static readonly IgdAction DeletePinhole = new IgdAction("DeletePinhole", HttpResend.AfterClosing, "UniqueID");

        public static readonly IgdAction CheckPinholeWorking = new IgdAction("CheckPinholeWorking", HttpResend.Overlapping, "UniqueID");

        private IgdAction(string name, HttpResend resend, params string[] arguments)
        {
            Name = name;
            Resend = resend;
            Arguments = arguments;
        }

        /// <summary>Every action the engine sends.</summary>
        public static IReadOnlyList<IgdAction> All { get; } = new[]
        {
            GetExternalIPAddress, GetStatusInfo, AddPortMapping, DeletePortMapping, GetSpecificPortMappingEntry, GetGenericPortMappingEntry, GetListOfPortMappings,
        };

        public string Name { get; }

        /// <summary>The in arguments, in the order the service defines and the envelope carries them.</summary>
        public IReadOnlyList<string> Arguments { get; }

        public HttpResend Resend { get; }

        /// <summary>The action's in arguments named in order; one value per argument.</summary>
        public KeyValuePair<string, string>[] With(params string[] values)
        {
            if (values.Length != Arguments.Count)
            {
                throw new ArgumentException(Name + " takes " + Arguments.Count.ToString(CultureInfo.InvariantCulture) + " arguments, not "
                    + values.Length.ToString(CultureInfo.InvariantCulture) + ".", nameof(values));
            }

            var named = new KeyValuePair<string, string>[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                named[i] = new KeyValuePair<string, string>(Arguments[i], values[i]);
            }

            return named;
        }

        public static KeyValuePair<string, string>[] Add(PortMappingTarget t, uint leaseSeconds) => AddPortMapping.With(
            Host(t.RemoteHost),
            Number(t.ExternalPort),
            Protocol(t.Protocol),
            Number(t.InternalPort),
            t.InternalClient.ToString(),
            t.Enabled ? "1" : "0",
            t.Description,
            leaseSeconds.ToString(CultureInfo.InvariantCulture));

        /// <summary>The in arguments of DeletePortMapping and GetSpecificPortMappingEntry, which are the same.</summary>
        public static KeyValuePair<string, string>[] Key(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol) =>
            GetSpecificPortMappingEntry.With(Host(remoteHost), Number(externalPort), Protocol(protocol));

        public static KeyValuePair<string, string>[] Generic(int index) => GetGenericPortMappingEntry.With(Number(index));

        public static KeyValuePair<string, string>[] List(int startPort, int endPort, PortMappingProtocol protocol, int numberOfPorts) =>
            GetListOfPortMappings.With(Number(startPort), Number(endPort), Protocol(protocol), "1", Number(numberOfPorts));

        public static string Protocol(PortMappingProtocol protocol) => protocol == PortMappingProtocol.UDP ? "UDP" : "TCP";

        public static KeyValuePair<string, string>[] Pinhole(PinholeTarget t) => AddPinhole.With(
            Host(t.RemoteHost),
            Number(t.RemotePort ?? 0),
            t.InternalClient.ToString(),
            Number(t.InternalPort),
            ProtocolNumber(t.Protocol),
            Number(t.LeaseSeconds));

        public static KeyValuePair<string, string>[] Update(int pinholeId, int leaseSeconds) =>
            UpdatePinhole.With(Number(pinholeId), Number(leaseSeconds));

        /// <summary>The one in argument of DeletePinhole and CheckPinholeWorking.</summary>
        public static KeyValuePair<string, string>[] UniqueId(IgdAction action, int pinholeId) => action.With(Number(pinholeId));

        /// <summary>WANIPv6FirewallControl names protocols by their IANA number (TCP 6, UDP 17), not by name.</summary>
        public static string ProtocolNumber(PortMappingProtocol protocol) => protocol == PortMappingProtocol.UDP ? "17" : "6";

        public override string ToString() => Name;

        private static string Host(IPAddress? address) => address?.ToString() ?? string.Empty;

        private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
