namespace PSUpnp.Stun
{
    /// <summary>ERROR-CODE (RFC 8489 section 14.8): a code from 300 to 699 and the server's reason phrase.</summary>
    public sealed class StunErrorCode
    {
        internal StunErrorCode(int code, string reason)
        {
            Code = code;
            Reason = reason ?? string.Empty;
        }

        public int Code { get; }

        public string Reason { get; }

        public override string ToString() => Code.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + Reason;
    }
}
