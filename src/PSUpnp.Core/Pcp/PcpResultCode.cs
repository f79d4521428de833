using System;
using System.Globalization;

namespace PSUpnp.Pcp
{
    /// <summary>The result codes of RFC 6887 section 7.4; a router may send others, which keep their number.</summary>
    internal enum PcpResultCode : byte
    {
        Success = 0,
        UnsupportedVersion = 1,
        NotAuthorized = 2,
        MalformedRequest = 3,
        UnsupportedOpcode = 4,
        UnsupportedOption = 5,
        MalformedOption = 6,
        NetworkFailure = 7,
        NoResources = 8,
        UnsupportedProtocol = 9,
        UserExceededQuota = 10,
        CannotProvideExternal = 11,
        AddressMismatch = 12,
        ExcessiveRemotePeers = 13,
    }

    /// <summary>What each result code means (the RFC's names) and which catalogue entry reports it.</summary>
    internal static class PcpResultCodes
    {
        public static string Meaning(PcpResultCode code) => code switch
        {
            PcpResultCode.Success => "SUCCESS",
            PcpResultCode.UnsupportedVersion => "UNSUPP_VERSION: the server does not speak this PCP version",
            PcpResultCode.NotAuthorized => "NOT_AUTHORIZED: the operation is disabled for this client or refused by the server's policy",
            PcpResultCode.MalformedRequest => "MALFORMED_REQUEST: the server could not parse the request",
            PcpResultCode.UnsupportedOpcode => "UNSUPP_OPCODE: the server does not implement this operation",
            PcpResultCode.UnsupportedOption => "UNSUPP_OPTION: the server does not implement a mandatory option of the request",
            PcpResultCode.MalformedOption => "MALFORMED_OPTION: an option of the request is malformed or repeated",
            PcpResultCode.NetworkFailure => "NETWORK_FAILURE: the server or the device it controls has a network failure (no external address yet?)",
            PcpResultCode.NoResources => "NO_RESOURCES: the server cannot create more mappings now",
            PcpResultCode.UnsupportedProtocol => "UNSUPP_PROTOCOL: the server does not map this transport protocol",
            PcpResultCode.UserExceededQuota => "USER_EX_QUOTA: this client holds as many mappings as it is allowed",
            PcpResultCode.CannotProvideExternal => "CANNOT_PROVIDE_EXTERNAL: the suggested external port or address is taken and PREFER_FAILURE was asked",
            PcpResultCode.AddressMismatch => "ADDRESS_MISMATCH: the client address in the request is not the packet's source (a NAT between client and server?)",
            PcpResultCode.ExcessiveRemotePeers => "EXCESSIVE_REMOTE_PEERS: more FILTER options than the server can keep",
            _ => "a result code RFC 6887 does not define",
        };

        public static UpnpErrorEntry EntryOf(PcpResultCode code) => code switch
        {
            PcpResultCode.UnsupportedVersion => UpnpErrors.PcpUnsupportedVersion,
            PcpResultCode.NotAuthorized => UpnpErrors.PcpNotAuthorized,
            PcpResultCode.MalformedRequest => UpnpErrors.PcpMalformedRequest,
            PcpResultCode.UnsupportedOpcode => UpnpErrors.PcpUnsupportedOpcode,
            PcpResultCode.UnsupportedOption => UpnpErrors.PcpUnsupportedOption,
            PcpResultCode.MalformedOption => UpnpErrors.PcpMalformedOption,
            PcpResultCode.NetworkFailure => UpnpErrors.PcpNetworkFailure,
            PcpResultCode.NoResources => UpnpErrors.PcpNoResources,
            PcpResultCode.UnsupportedProtocol => UpnpErrors.PcpUnsupportedProtocol,
            PcpResultCode.UserExceededQuota => UpnpErrors.PcpUserExceededQuota,
            PcpResultCode.CannotProvideExternal => UpnpErrors.PcpCannotProvideExternal,
            PcpResultCode.AddressMismatch => UpnpErrors.PcpAddressMismatch,
            PcpResultCode.ExcessiveRemotePeers => UpnpErrors.PcpExcessiveRemotePeers,
            _ => UpnpErrors.PcpUnknownResult,
        };

        /// <summary>The error a refusal is reported as; the lifetime says how long the router means it to hold.</summary>
        public static PcpException Refusal(PcpResultCode code, TimeSpan lifetime, string request, object? target) => new PcpException(
            EntryOf(code),
            string.Format(CultureInfo.InvariantCulture, "The router refused the PCP {0} with result code {1} ({2}); it says this holds for {3} s.", request, (int)code, Meaning(code), lifetime.TotalSeconds),
            (int)code,
            lifetime,
            target);
    }
}
