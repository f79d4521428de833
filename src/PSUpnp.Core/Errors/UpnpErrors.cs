// Over 300 lines on purpose: the catalogue is one entry per ErrorId with its meaning and advice; one file is the
// point (every id in one place, compared with about_PSUpnp's table).
using System.Collections.Generic;
using System.Reflection;

namespace PSUpnp
{
    /// <summary>
    /// The catalogue: every ErrorId the module reports, with its category and advice. Ids name the protocol the error
    /// belongs to (Upnp: discovery, descriptions, control and their HTTP; Stun: the NAT test's servers and messages)
    /// and then the condition, in PascalCase. docs/help/about_PSUpnp.help.md lists the same table (a test compares
    /// them). Code tells errors apart by exception type (<see cref="UpnpTimeoutException"/>,
    /// <see cref="UpnpFaultException"/>, ...), never by comparing ids.
    /// </summary>
    internal static class UpnpErrors
    {
        private const string Rediscover = "The router may have restarted or changed its address or port: discover the gateway again (Find-UpnpGateway).";
        private const string RetryOrRestart = "Try again; if it keeps failing, check that UPnP is enabled on the router or restart it.";
        private const string UseLocation = "If this is your gateway, check its firmware, or give another description URL with -Location.";

        // ---- discovery

        public static readonly UpnpErrorEntry GatewayNotFound = new UpnpErrorEntry(
            "UpnpGatewayNotFound", UpnpErrorCategory.ObjectNotFound,
            "No usable UPnP Internet Gateway Device answered the search within -TimeoutSec.",
            "Check that UPnP (IGD) is enabled on the router and that no firewall blocks UDP port 1900 or the answers to it; "
            + "or give the router's description URL with -Location (for example http://192.168.1.1:5000/rootDesc.xml).");

        public static readonly UpnpErrorEntry LocationInvalid = new UpnpErrorEntry(
            "UpnpLocationInvalid", UpnpErrorCategory.InvalidArgument,
            "The description URL given with -Location is not an absolute http URL.",
            "Give the URL the router announces, for example http://192.168.1.1:5000/rootDesc.xml.");

        public static readonly UpnpErrorEntry LocationNotFollowed = new UpnpErrorEntry(
            "UpnpLocationNotFollowed", UpnpErrorCategory.SecurityError,
            "A device answered the search with a description URL on another host or network, which is not fetched.",
            "If that URL really is your gateway's description, give it with -Location.");

        public static readonly UpnpErrorEntry LocalAddressNotFound = new UpnpErrorEntry(
            "UpnpLocalAddressNotFound", UpnpErrorCategory.InvalidArgument,
            "No up network interface of this host has the address given with -LocalAddress.",
            "Give the IPv4 address of an interface that is up (Get-NetIPAddress or ip -4 addr), or omit -LocalAddress.");

        public static readonly UpnpErrorEntry MalformedSsdp = new UpnpErrorEntry(
            "UpnpMalformedSsdp", UpnpErrorCategory.InvalidData,
            "A datagram that answered the search is not a valid SSDP message (it is traced and skipped).",
            "The device sent a malformed SSDP message; if it is your gateway, give its description URL with -Location.");

        // ---- device descriptions

        public static readonly UpnpErrorEntry MalformedDescription = new UpnpErrorEntry(
            "UpnpMalformedDescription", UpnpErrorCategory.InvalidData,
            "The device description is not a valid UPnP description document.",
            UseLocation);

        public static readonly UpnpErrorEntry DescriptionDtdProhibited = new UpnpErrorEntry(
            "UpnpDescriptionDtdProhibited", UpnpErrorCategory.SecurityError,
            "The device description contains a DTD, which is refused.",
            "Treat the device as hostile or broken; give the description URL of the real gateway with -Location.");

        public static readonly UpnpErrorEntry NoConnectionService = new UpnpErrorEntry(
            "UpnpNoConnectionService", UpnpErrorCategory.ObjectNotFound,
            "The device describes no WANIPConnection or WANPPPConnection service, so it cannot map ports.",
            "Check that UPnP port mapping (IGD) is enabled on the router; the device that answered may not be the router.");

        // ---- the exchange with a device

        public static readonly UpnpErrorEntry Timeout = new UpnpErrorEntry(
            "UpnpTimeout", UpnpErrorCategory.OperationTimeout,
            "The router (or the search for it) did not answer completely within -TimeoutSec.",
            "Check that the router is on, reachable and has UPnP enabled; a slow router or a busy, lossy network needs a larger -TimeoutSec.");

        public static readonly UpnpErrorEntry ConnectionRefused = new UpnpErrorEntry(
            "UpnpConnectionRefused", UpnpErrorCategory.ConnectionError,
            "Nothing listens any more on the router's UPnP port.",
            Rediscover);

        public static readonly UpnpErrorEntry HostUnreachable = new UpnpErrorEntry(
            "UpnpHostUnreachable", UpnpErrorCategory.ConnectionError,
            "The router cannot be reached over the network.",
            "Check the network connection to the router, then discover the gateway again.");

        public static readonly UpnpErrorEntry NoRoute = new UpnpErrorEntry(
            "UpnpNoRoute", UpnpErrorCategory.ConnectionError,
            "This host has no route to the router's address.",
            "Check the network connection and the address of the gateway.");

        public static readonly UpnpErrorEntry NameNotResolved = new UpnpErrorEntry(
            "UpnpNameNotResolved", UpnpErrorCategory.ConnectionError,
            "A host name (of a gateway URL or a STUN server) could not be resolved to an address.",
            "Check the name and this host's DNS, or give an IP address instead.");

        public static readonly UpnpErrorEntry IncompleteResponse = new UpnpErrorEntry(
            "UpnpIncompleteResponse", UpnpErrorCategory.ConnectionError,
            "The router closed the connection before its answer was complete.",
            "Try again; if it keeps happening the router's UPnP service may be failing.");

        public static readonly UpnpErrorEntry ResponseTooLarge = new UpnpErrorEntry(
            "UpnpResponseTooLarge", UpnpErrorCategory.LimitsExceeded,
            "The answer is larger than any router sends; it was not read further.",
            "A router does not send answers this large: check that the URL points to the router.");

        public static readonly UpnpErrorEntry MalformedHttp = new UpnpErrorEntry(
            "UpnpMalformedHttp", UpnpErrorCategory.ProtocolError,
            "The answer is not valid HTTP.",
            "Check that the URL points to the router's UPnP service.");

        public static readonly UpnpErrorEntry UnsupportedUrlScheme = new UpnpErrorEntry(
            "UpnpUnsupportedUrlScheme", UpnpErrorCategory.InvalidArgument,
            "A device URL is not an http:// URL.",
            "Give the router's description URL as http://address:port/path.");

        public static readonly UpnpErrorEntry HttpError = new UpnpErrorEntry(
            "UpnpHttpError<n>", null,
            "The router answered HTTP status <n> (not a SOAP fault) to a description read or a control request.",
            RetryOrRestart);

        // ---- control (SOAP)

        public static readonly UpnpErrorEntry Fault = new UpnpErrorEntry(
            "UpnpError<n>", null,
            "The router refused the action with UPnP error code <n> (718: the port is held by another client, 725: only permanent leases, ...).",
            RetryOrRestart);

        public static readonly UpnpErrorEntry SoapFault = new UpnpErrorEntry(
            "UpnpSoapFault", UpnpErrorCategory.ProtocolError,
            "The router refused the action with a SOAP fault that carries no UPnP error code.",
            RetryOrRestart);

        public static readonly UpnpErrorEntry MalformedResponse = new UpnpErrorEntry(
            "UpnpMalformedResponse", UpnpErrorCategory.InvalidData,
            "The router's answer to an action is not a valid SOAP response.",
            "The router's UPnP service answered something unusable; try again, or update or restart the router.");

        public static readonly UpnpErrorEntry InvalidServiceType = new UpnpErrorEntry(
            "UpnpInvalidServiceType", UpnpErrorCategory.InvalidData,
            "The gateway's service type holds characters a SOAPAction header cannot carry.",
            "Check the gateway's device description.");

        public static readonly UpnpErrorEntry InvalidXmlCharacter = new UpnpErrorEntry(
            "UpnpInvalidXmlCharacter", UpnpErrorCategory.InvalidArgument,
            "A value holds a character that an XML 1.0 SOAP request cannot carry.",
            "Remove control characters and unpaired surrogates from the value.");

        // ---- port mappings

        public static readonly UpnpErrorEntry InvalidArgument = new UpnpErrorEntry(
            "UpnpInvalidArgument", UpnpErrorCategory.InvalidArgument,
            "A port mapping request has a value the module cannot send (a port or lease out of range).",
            "Correct the value named in the message and try again.");

        public static readonly UpnpErrorEntry MappingConflict = new UpnpErrorEntry(
            "UpnpMappingConflict", UpnpErrorCategory.ResourceExists,
            "The external port is already mapped to another internal client or port; nothing was changed.",
            "Choose another external port, remove the other client's mapping, or use -Force to take it over.");

        public static readonly UpnpErrorEntry MappingNotFound = new UpnpErrorEntry(
            "UpnpMappingNotFound", UpnpErrorCategory.ObjectNotFound,
            "The router holds no port mapping with that external port, protocol and remote host, so there is nothing to remove.",
            "List the router's mappings with Get-UpnpPortMapping to see what exists.");

        public static readonly UpnpErrorEntry MappingNotHeld = new UpnpErrorEntry(
            "UpnpMappingNotHeld", UpnpErrorCategory.InvalidResult,
            "The router accepted the mapping but does not hold it when asked for it.",
            "The router may reject the mapping silently (for example by policy); check its UPnP settings and logs.");

        public static readonly UpnpErrorEntry RenewalFailed = new UpnpErrorEntry(
            "UpnpRenewalFailed", null,
            "Renewing by delete and add failed; the message says whether the previous mapping was restored (category: the cause's).",
            RetryOrRestart);

        public static readonly UpnpErrorEntry ReplaceFailed = new UpnpErrorEntry(
            "UpnpReplaceFailed", null,
            "Taking over another client's mapping (-Force) failed; the message says whether it was restored (category: the cause's).",
            RetryOrRestart);

        // ---- IPv6 pinholes (WANIPv6FirewallControl); the router's own refusals are UpnpError<n> (701-709, 606)

        public static readonly UpnpErrorEntry NoFirewallControl = new UpnpErrorEntry(
            "UpnpNoFirewallControl", UpnpErrorCategory.NotImplemented,
            "The gateway describes no WANIPv6FirewallControl service beside its connection, so it cannot open IPv6 pinholes.",
            "Enable IPv6 and UPnP IGD v2 on the router if it offers them, or use an IPv4 mapping (-AddressFamily IPv4).");

        public static readonly UpnpErrorEntry NoIPv6Path = new UpnpErrorEntry(
            "UpnpNoPinholePath", UpnpErrorCategory.ResourceUnavailable,
            "This host has no global IPv6 address or no IPv6 route to the router on the interface that reaches the gateway.",
            "Check that IPv6 is enabled and configured on this host's network (ip -6 addr, ip -6 route), or use an IPv4 mapping (-AddressFamily IPv4).");

        // ---- STUN (Test-NatType)

        public static readonly UpnpErrorEntry StunInvalidServer = new UpnpErrorEntry(
            "StunInvalidServer", UpnpErrorCategory.InvalidArgument,
            "No STUN server was given, or one is not written as host, host:port or [IPv6]:port.",
            "Give each server as host[:port], for example stun.example.org:3478; at least one must support RFC 5780.");

        public static readonly UpnpErrorEntry StunSocketFailed = new UpnpErrorEntry(
            "StunSocketFailed", UpnpErrorCategory.ResourceUnavailable,
            "A UDP socket for the NAT test could not be bound, or a request could not be sent.",
            "Choose another local address or port (or free the one in use), and check that this host has a route to the server.");

        public static readonly UpnpErrorEntry StunMalformedMessage = new UpnpErrorEntry(
            "StunMalformedMessage", UpnpErrorCategory.InvalidData,
            "A STUN message breaks the wire format (it is traced and skipped while testing).",
            "The sender is not a conforming STUN server; use another server.");

        public static readonly UpnpErrorEntry StunFingerprintMismatch = new UpnpErrorEntry(
            "StunFingerprintMismatch", UpnpErrorCategory.InvalidData,
            "A STUN message's FINGERPRINT does not match its bytes: it was damaged or forged.",
            "Retry; if it persists, the path to the server alters datagrams or the server is not a STUN server.");

        // ---- NAT-PMP (RFC 6886): the router's result codes 1 to 5, then what the answer itself can get wrong

        private const string NatPmpOtherWay = "or map the port another way (-Method Pcp or -Method UpnpIgd).";

        public static readonly UpnpErrorEntry NatPmpUnsupportedVersion = new UpnpErrorEntry(
            "NatPmpUnsupportedVersion", UpnpErrorCategory.NotImplemented,
            "The router does not speak NAT-PMP version 0 (result code 1; a router that answers so may speak only PCP).",
            "Use PCP (-Method Pcp) or UPnP (-Method UpnpIgd), or update the router's firmware.");

        public static readonly UpnpErrorEntry NatPmpNotAuthorized = new UpnpErrorEntry(
            "NatPmpNotAuthorized", UpnpErrorCategory.PermissionDenied,
            "The router speaks NAT-PMP but refuses the mapping (result code 2): port mapping is turned off, or not allowed for this host or port.",
            "Allow NAT-PMP port mapping for this host and port in the router's settings, " + NatPmpOtherWay);

        public static readonly UpnpErrorEntry NatPmpNetworkFailure = new UpnpErrorEntry(
            "NatPmpNetworkFailure", UpnpErrorCategory.ResourceUnavailable,
            "The router has no working external connection (result code 3), for example no external address from its provider yet.",
            "Check the router's internet connection and try again once it has an external address.");

        public static readonly UpnpErrorEntry NatPmpOutOfResources = new UpnpErrorEntry(
            "NatPmpOutOfResources", UpnpErrorCategory.ResourceUnavailable,
            "The router cannot create more mappings (result code 4): its table is full or it has no free external port.",
            "Remove mappings that are no longer needed (Remove-UpnpPortMapping), or try again later.");

        public static readonly UpnpErrorEntry NatPmpUnsupportedOpcode = new UpnpErrorEntry(
            "NatPmpUnsupportedOpcode", UpnpErrorCategory.NotImplemented,
            "The router does not implement this NAT-PMP operation (result code 5; some routers map only UDP, or only report the external address).",
            "Update the router's firmware, " + NatPmpOtherWay);

        public static readonly UpnpErrorEntry NatPmpUnknownResult = new UpnpErrorEntry(
            "NatPmpUnknownResult", UpnpErrorCategory.ProtocolError,
            "The router refused with a NAT-PMP result code RFC 6886 does not define (the message gives the code).",
            "Try again; if it keeps failing, update the router's firmware, " + NatPmpOtherWay);

        public static readonly UpnpErrorEntry NatPmpMalformedResponse = new UpnpErrorEntry(
            "NatPmpMalformedResponse", UpnpErrorCategory.InvalidData,
            "A NAT-PMP answer breaks the wire format of RFC 6886 (while waiting for an answer it is traced and skipped).",
            "The device that answered on UDP port 5351 is not a conforming NAT-PMP server; " + NatPmpOtherWay);

        public static readonly UpnpErrorEntry NatPmpTimeout = new UpnpErrorEntry(
            "NatPmpTimeout", UpnpErrorCategory.OperationTimeout,
            "The router did not answer NAT-PMP on UDP port 5351 within -TimeoutSec, though the request was sent again as RFC 6886 says.",
            "Check that NAT-PMP is enabled on the router and that no firewall blocks UDP port 5351; a busy, lossy network needs a larger -TimeoutSec.");

        // ---- PCP (RFC 6887): the router's result codes 1 to 13, then what the answer itself can get wrong

        private const string PcpOtherWay = "or map the port another way (-Method NatPmp or -Method UpnpIgd).";

        public static readonly UpnpErrorEntry PcpUnsupportedVersion = new UpnpErrorEntry(
            "PcpUnsupportedVersion", UpnpErrorCategory.NotImplemented,
            "The router does not speak PCP version 2 (UNSUPP_VERSION, or a NAT-PMP server's unsupported-version answer).",
            "Use NAT-PMP (-Method NatPmp) or UPnP (-Method UpnpIgd); without -Method the module falls back by itself.");

        public static readonly UpnpErrorEntry PcpNotAuthorized = new UpnpErrorEntry(
            "PcpNotAuthorized", UpnpErrorCategory.PermissionDenied,
            "The router refuses the PCP request (NOT_AUTHORIZED): mapping is off for this host or port, or the mapping belongs to another nonce.",
            "Allow PCP port mapping for this host and port in the router's settings, " + PcpOtherWay);

        public static readonly UpnpErrorEntry PcpMalformedRequest = new UpnpErrorEntry(
            "PcpMalformedRequest", UpnpErrorCategory.ProtocolError,
            "The router could not parse the PCP request (MALFORMED_REQUEST).",
            "Update the router's firmware, " + PcpOtherWay);

        public static readonly UpnpErrorEntry PcpUnsupportedOpcode = new UpnpErrorEntry(
            "PcpUnsupportedOpcode", UpnpErrorCategory.NotImplemented,
            "The router does not implement this PCP operation (UNSUPP_OPCODE).",
            "Update the router's firmware, " + PcpOtherWay);

        public static readonly UpnpErrorEntry PcpUnsupportedOption = new UpnpErrorEntry(
            "PcpUnsupportedOption", UpnpErrorCategory.NotImplemented,
            "The router does not implement an option the request needs (UNSUPP_OPTION: THIRD_PARTY, FILTER, ...).",
            "Ask without that option (for example a mapping for this host instead of another), " + PcpOtherWay);

        public static readonly UpnpErrorEntry PcpMalformedOption = new UpnpErrorEntry(
            "PcpMalformedOption", UpnpErrorCategory.ProtocolError,
            "The router found an option of the PCP request malformed or repeated (MALFORMED_OPTION).",
            "Update the router's firmware, " + PcpOtherWay);

        public static readonly UpnpErrorEntry PcpNetworkFailure = new UpnpErrorEntry(
            "PcpNetworkFailure", UpnpErrorCategory.ResourceUnavailable,
            "The router has a network failure (NETWORK_FAILURE), for example no external address from its provider yet.",
            "Check the router's internet connection and try again once it has an external address.");

        public static readonly UpnpErrorEntry PcpNoResources = new UpnpErrorEntry(
            "PcpNoResources", UpnpErrorCategory.ResourceUnavailable,
            "The router cannot create more mappings now (NO_RESOURCES).",
            "Remove mappings that are no longer needed (Remove-UpnpPortMapping), or try again later.");

        public static readonly UpnpErrorEntry PcpUnsupportedProtocol = new UpnpErrorEntry(
            "PcpUnsupportedProtocol", UpnpErrorCategory.NotImplemented,
            "The router does not map this transport protocol (UNSUPP_PROTOCOL).",
            "Map the other protocol if the application allows it, " + PcpOtherWay);

        public static readonly UpnpErrorEntry PcpUserExceededQuota = new UpnpErrorEntry(
            "PcpUserExceededQuota", UpnpErrorCategory.LimitsExceeded,
            "This host holds as many mappings as the router allows it (USER_EX_QUOTA).",
            "Remove mappings this host no longer needs (Remove-UpnpPortMapping), or raise the limit in the router's settings.");

        public static readonly UpnpErrorEntry PcpCannotProvideExternal = new UpnpErrorEntry(
            "PcpCannotProvideExternal", UpnpErrorCategory.ResourceExists,
            "The suggested external port or address is not available and the request asked not to get another (CANNOT_PROVIDE_EXTERNAL).",
            "Choose another external port, or let the router choose one.");

        public static readonly UpnpErrorEntry PcpAddressMismatch = new UpnpErrorEntry(
            "PcpAddressMismatch", UpnpErrorCategory.SecurityError,
            "The router saw the request come from another address than the one it names (ADDRESS_MISMATCH): a NAT lies between this host and the router.",
            "Ask the router this host is directly behind (its default gateway); a router behind another NAT cannot be reached with PCP.");

        public static readonly UpnpErrorEntry PcpExcessiveRemotePeers = new UpnpErrorEntry(
            "PcpExcessiveRemotePeers", UpnpErrorCategory.LimitsExceeded,
            "The request names more remote peers to filter than the router can keep (EXCESSIVE_REMOTE_PEERS).",
            "Name fewer remote peers, or none.");

        public static readonly UpnpErrorEntry PcpUnknownResult = new UpnpErrorEntry(
            "PcpUnknownResult", UpnpErrorCategory.ProtocolError,
            "The router refused with a PCP result code RFC 6887 does not define (the message gives the code).",
            "Try again; if it keeps failing, update the router's firmware, " + PcpOtherWay);

        public static readonly UpnpErrorEntry PcpMalformedResponse = new UpnpErrorEntry(
            "PcpMalformedResponse", UpnpErrorCategory.InvalidData,
            "A PCP answer breaks the wire format of RFC 6887 (while waiting for an answer it is traced and skipped).",
            "The device that answered on UDP port 5351 is not a conforming PCP server; " + PcpOtherWay);

        public static readonly UpnpErrorEntry PcpTimeout = new UpnpErrorEntry(
            "PcpTimeout", UpnpErrorCategory.OperationTimeout,
            "The router did not answer PCP on UDP port 5351 within -TimeoutSec (PCP sends again after 3 s, then doubling).",
            "Check that PCP is enabled on the router and that no firewall blocks UDP port 5351; a lossy network needs a larger -TimeoutSec (within 10 s a request goes three times).");

        // ---- the ways (UPnP IGD, PCP, NAT-PMP) behind the same cmdlets

        public static readonly UpnpErrorEntry MappingListNotSupported = new UpnpErrorEntry(
            "UpnpMappingListNotSupported", UpnpErrorCategory.NotImplemented,
            "PCP and NAT-PMP cannot list a router's port mappings; only UPnP IGD can, and the gateway does not answer it (or -Method named PCP or NAT-PMP).",
            "Enable UPnP IGD on the router to list its table; keep the mappings Add-UpnpPortMapping returns (Export-Clixml) to renew or remove them.");

        public static readonly UpnpErrorEntry MethodUnavailable = new UpnpErrorEntry(
            "UpnpMethodUnavailable", UpnpErrorCategory.InvalidArgument,
            "-Method names a way this gateway cannot be asked: UpnpIgd for a router found only by PCP or NAT-PMP (it has no control URL), or PCP or NAT-PMP for a router known only by a host name.",
            "Omit -Method to use a way the gateway answered (its Methods property), or enable UPnP IGD on the router.");

        /// <summary>Every entry, in the order above (the order of the about_PSUpnp table).</summary>
        public static IReadOnlyList<UpnpErrorEntry> All { get; } = Collect();

        /// <summary>The category of an HTTP status that is not a SOAP fault.</summary>
        internal static UpnpErrorCategory CategoryOfStatus(int statusCode) => statusCode switch
        {
            401 or 403 => UpnpErrorCategory.PermissionDenied,
            404 => UpnpErrorCategory.ObjectNotFound,
            405 or 501 => UpnpErrorCategory.NotImplemented,
            503 => UpnpErrorCategory.ResourceUnavailable,
            _ => UpnpErrorCategory.ProtocolError,
        };

        /// <summary>The advice for an HTTP status; the family's own when the status has none.</summary>
        internal static string ActionForStatus(int statusCode) => statusCode switch
        {
            401 or 403 => "The router refuses UPnP from this host; check its UPnP settings.",
            404 => "The URL no longer exists; search for the gateway again (the router may have restarted).",
            _ => HttpError.RecommendedAction,
        };

        private static IReadOnlyList<UpnpErrorEntry> Collect()
        {
            // Reflection keeps the list and the fields one: an entry added above cannot be missing from All.
            var all = new List<UpnpErrorEntry>();
            foreach (var field in typeof(UpnpErrors).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                if (field.GetValue(null) is UpnpErrorEntry entry)
                {
                    all.Add(entry);
                }
            }

            return all;
        }
    }
}
