namespace PSUpnp
{
    /// <summary>
    /// Where the engine says what it is doing, one line per event (a datagram, a SOAP exchange).
    /// The cmdlets turn it into WriteVerbose; implementations must accept calls from any thread.
    /// </summary>
    internal interface ITraceSink
    {
        void Trace(string message);
    }

    /// <summary>A sink that drops everything.</summary>
    internal sealed class NullTraceSink : ITraceSink
    {
        public static readonly NullTraceSink Instance = new NullTraceSink();

        private NullTraceSink()
        {
        }

        public void Trace(string message)
        {
        }
    }
}
