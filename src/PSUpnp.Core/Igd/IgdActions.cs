using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace PSUpnp.Igd
{
    /// <summary>Action names and in-argument lists of WANIPConnection / WANPPPConnection, in the order the services define.</summary>
    internal static class IgdActions
    {
        public const string GetExternalIPAddress = "GetExternalIPAddress";
        public const string GetStatusInfo = "GetStatusInfo";
        public const string AddPortMapping = "AddPortMapping";
        public const string AddAnyPortMapping = "AddAnyPortMapping";
        public const string DeletePortMapping = "DeletePortMapping";
        public const string GetSpecificPortMappingEntry = "GetSpecificPortMappingEntry";
        public const string GetGenericPortMappingEntry = "GetGenericPortMappingEntry";
        public const string GetListOfPortMappings = "GetListOfPortMappings";

        public static readonly KeyValuePair<string, string>[] None = new KeyValuePair<string, string>[0];

        /// <summary>The in arguments of AddPortMapping and AddAnyPortMapping, which are the same.</summary>
        public static KeyValuePair<string, string>[] Add(PortMappingTarget t, uint leaseSeconds) => new[]
        {
            Arg("NewRemoteHost", Host(t.RemoteHost)),
            Arg("NewExternalPort", Number(t.ExternalPort)),
            Arg("NewProtocol", Protocol(t.Protocol)),
            Arg("NewInternalPort", Number(t.InternalPort)),
            Arg("NewInternalClient", t.InternalClient.ToString()),
            Arg("NewEnabled", t.Enabled ? "1" : "0"),
            Arg("NewPortMappingDescription", t.Description),
            Arg("NewLeaseDuration", leaseSeconds.ToString(CultureInfo.InvariantCulture)),
        };

        /// <summary>The in arguments of DeletePortMapping and GetSpecificPortMappingEntry, which are the same.</summary>
        public static KeyValuePair<string, string>[] Key(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol) => new[]
        {
            Arg("NewRemoteHost", Host(remoteHost)),
            Arg("NewExternalPort", Number(externalPort)),
            Arg("NewProtocol", Protocol(protocol)),
        };

        public static KeyValuePair<string, string>[] Generic(int index) => new[]
        {
            Arg("NewPortMappingIndex", Number(index)),
        };

        public static KeyValuePair<string, string>[] List(int startPort, int endPort, PortMappingProtocol protocol, int numberOfPorts) => new[]
        {
            Arg("NewStartPort", Number(startPort)),
            Arg("NewEndPort", Number(endPort)),
            Arg("NewProtocol", Protocol(protocol)),
            Arg("NewManage", "1"),
            Arg("NewNumberOfPorts", Number(numberOfPorts)),
        };

        public static string Protocol(PortMappingProtocol protocol) => protocol == PortMappingProtocol.UDP ? "UDP" : "TCP";

        private static string Host(IPAddress? address) => address?.ToString() ?? string.Empty;

        private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static KeyValuePair<string, string> Arg(string name, string value) => new KeyValuePair<string, string>(name, value);
    }
}
