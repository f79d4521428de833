using System;
using System.Globalization;
using System.Net;
using System.Text;

namespace PSUpnp.Igd
{
    /// <summary>The warnings, trace lines and error messages of the mapping operations, worded in one place.</summary>
    internal static class PortMappingMessages
    {
        public static string Vanished(PortMappingTarget target) =>
            "The mapping " + target + " that was being renewed was no longer on the router (it may have restarted or dropped it); it has been created again.";

        public static string EarlierCopyApplied(PortMappingTarget target) =>
            "AddPortMapping " + target + " was sent again after its answer was lost and then refused with 718, but the router holds it for this client: the first copy was applied.";

        public static string EarlierDeleteApplied(int externalPort, PortMappingProtocol protocol) =>
            "DeletePortMapping " + IgdAction.Protocol(protocol) + " " + Number(externalPort)
            + " was sent again after its answer was lost and then answered 714: the first copy removed it.";

        public static string UnusableReadBack(PortMappingTarget target, string errorId) =>
            "The router's answer when " + target + " was read back was unusable (" + errorId + "): the mapping is reported as requested, "
            + "but the router may hold it otherwise (a description longer than it keeps, for example).";

        public static string NotHeld(PortMappingTarget target) =>
            "The router accepted AddPortMapping for " + target + " but does not hold the mapping when asked for it.";

        // The description went out escaped and intact; what the router keeps is its own business, but the caller must know.
        // miniupnpd 2.3.1 keeps 64 bytes of the escaped text and then shows whatever memory follows.
        public static string DescriptionNotKept(PortMappingTarget target, string held) =>
            "The router holds the description of " + target + " as '" + Printable(held) + "', not as sent ('"
            + Printable(target.Description) + "'); routers shorten long descriptions, so use a shorter one (63 bytes at most for miniupnpd).";

        public static string Restored(UpnpPortMapping previous) =>
            "The previous mapping to " + previous.InternalClient + ":" + Number(previous.InternalPort) + " was restored.";

        public static string NotRestored(UpnpPortMapping previous, string why) =>
            "The previous mapping to " + previous.InternalClient + ":" + Number(previous.InternalPort) + " could NOT be restored (" + why + "); add it again.";

        public static string NotFound(UpnpGateway gateway, IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol) =>
            "The router " + gateway.Label + " holds no " + IgdAction.Protocol(protocol) + " mapping of external port "
            + Number(externalPort) + (remoteHost == null ? string.Empty : " from " + remoteHost) + "; nothing was removed.";

        /// <summary>Control characters and what a console cannot show, made visible for a warning.</summary>
        public static string Printable(string text)
        {
            var sb = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                if (c < ' ' || c == '\u007f' || c == '\ufffd')
                {
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
