namespace PSUpnp
{
    /// <summary>The outcome of one check of Test-UpnpPortMapping.</summary>
    public enum PortMappingCheckResult
    {
        /// <summary>The check found what a reachable mapping needs.</summary>
        Passed,

        /// <summary>The check found a reason the port is not reachable from the internet.</summary>
        Failed,

        /// <summary>The check could not tell (no answer, not testable for this protocol, an earlier step failed).</summary>
        Inconclusive,

        /// <summary>Worth knowing, never proof either way (hairpinning: a connection from inside).</summary>
        Information,
    }
}
