namespace PSUpnp.Stun
{
    /// <summary>The class bits of a STUN message type (RFC 8489 section 5).</summary>
    internal enum StunMessageClass
    {
        Request = 0,
        Indication = 1,
        SuccessResponse = 2,
        ErrorResponse = 3,
    }

    /// <summary>STUN methods used here (IANA STUN Methods registry).</summary>
    internal static class StunMethod
    {
        public const ushort Binding = 0x001;
    }

    /// <summary>Attribute types (IANA STUN Attributes registry; RFC 8489, 5780 and 3489).</summary>
    internal static class StunAttributeType
    {
        public const ushort MappedAddress = 0x0001;
        /// <summary>RFC 3489 only.</summary>
        public const ushort ResponseAddress = 0x0002;
        public const ushort ChangeRequest = 0x0003;
        /// <summary>RFC 3489 only.</summary>
        public const ushort SourceAddress = 0x0004;
        /// <summary>RFC 3489 only; OTHER-ADDRESS replaced it.</summary>
        public const ushort ChangedAddress = 0x0005;
        public const ushort Username = 0x0006;
        public const ushort MessageIntegrity = 0x0008;
        public const ushort ErrorCode = 0x0009;
        public const ushort UnknownAttributes = 0x000A;
        public const ushort Realm = 0x0014;
        public const ushort Nonce = 0x0015;
        public const ushort MessageIntegritySha256 = 0x001C;
        public const ushort XorMappedAddress = 0x0020;
        public const ushort Padding = 0x0026;
        public const ushort ResponsePort = 0x0027;
        public const ushort Software = 0x8022;
        public const ushort AlternateServer = 0x8023;
        public const ushort Fingerprint = 0x8028;
        public const ushort ResponseOrigin = 0x802B;
        public const ushort OtherAddress = 0x802C;

        /// <summary>Types 0x0000-0x7FFF must be understood; a server answers 420 when it does not.</summary>
        public static bool IsComprehensionRequired(ushort type) => type < 0x8000;
    }
}
