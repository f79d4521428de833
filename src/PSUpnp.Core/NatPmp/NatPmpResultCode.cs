using System.Globalization;

namespace PSUpnp.NatPmp
{
    /// <summary>The result codes of RFC 6886 section 3.5; a router may send others, which keep their number.</summary>
    internal enum NatPmpResultCode : ushort
    {
        Success = 0,
        UnsupportedVersion = 1,
        NotAuthorized = 2,
        NetworkFailure = 3,
        OutOfResources = 4,
        UnsupportedOpcode = 5,
    }

    /// <summary>What each result code means and which catalogue entry reports it.</summary>
    internal static class NatPmpResultCodes
    {
        public static string Meaning(NatPmpResultCode code) => code switch
        {
            NatPmpResultCode.Success => "success",
            NatPmpResultCode.UnsupportedVersion => "unsupported version",
            NatPmpResultCode.NotAuthorized => "not authorized/refused (the router supports mapping but it is turned off or not allowed)",
            NatPmpResultCode.NetworkFailure => "network failure (the router has no external address, e.g. no DHCP lease yet)",
            NatPmpResultCode.OutOfResources => "out of resources (no more mappings or ports)",
            NatPmpResultCode.UnsupportedOpcode => "unsupported opcode",
            _ => "a result code RFC 6886 does not define",
        };

        public static UpnpErrorEntry EntryOf(NatPmpResultCode code) => code switch
        {
            NatPmpResultCode.UnsupportedVersion => UpnpErrors.NatPmpUnsupportedVersion,
            NatPmpResultCode.NotAuthorized => UpnpErrors.NatPmpNotAuthorized,
            NatPmpResultCode.NetworkFailure => UpnpErrors.NatPmpNetworkFailure,
            NatPmpResultCode.OutOfResources => UpnpErrors.NatPmpOutOfResources,
            NatPmpResultCode.UnsupportedOpcode => UpnpErrors.NatPmpUnsupportedOpcode,
            _ => UpnpErrors.NatPmpUnknownResult,
        };

        /// <summary>The error a refusal is reported as: its entry, the code and its meaning, what was asked.</summary>
        public static NatPmpException Refusal(NatPmpResultCode code, string request, object? target) => new NatPmpException(
            EntryOf(code),
            string.Format(CultureInfo.InvariantCulture, "The router refused the NAT-PMP {0} with result code {1} ({2}).", request, (int)code, Meaning(code)),
            (int)code,
            target);
    }
}
