namespace PSUpnp.Nat
{
    /// <summary>What the tests decided, and in words why a behaviour stayed undecided (null when all was decided).</summary>
    internal sealed class NatVerdict
    {
        public NatVerdict(NatType natType, MappingBehavior mapping, FilteringBehavior filtering, string? reason)
        {
            NatType = natType;
            Mapping = mapping;
            Filtering = filtering;
            Reason = reason;
        }

        public NatType NatType { get; }

        public MappingBehavior Mapping { get; }

        public FilteringBehavior Filtering { get; }

        public string? Reason { get; }
    }
}
