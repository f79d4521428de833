namespace PSUpnp.Nat
{
    /// <summary>The tests of RFC 5780 that behaviour discovery runs.</summary>
    public enum NatTest
    {
        /// <summary>Test I: a plain Binding request to the primary address (is UDP open, what is the mapping).</summary>
        Connectivity,
        /// <summary>Mapping tests I, II and III on a second socket: primary, alternate IP, alternate IP and port.</summary>
        MappingTestI,
        MappingTestII,
        MappingTestIII,
        /// <summary>Filtering test II: answer from the alternate IP and port (CHANGE-REQUEST IP and port).</summary>
        FilteringTestII,
        /// <summary>Filtering test III: answer from the alternate port only (CHANGE-REQUEST port).</summary>
        FilteringTestIII,
        /// <summary>A request to our own public address from the same socket (RFC 5780 section 4.5).</summary>
        Hairpinning,
    }

    internal enum NatTestState
    {
        Started,
        Answered,
        NoAnswer,
    }

    /// <summary>One step of behaviour discovery, for a progress bar: which test, what happened, how far along.</summary>
    internal sealed class NatTestProgress
    {
        public NatTestProgress(NatTest test, NatTestState state, int completed, int total)
        {
            Test = test;
            State = state;
            Completed = completed;
            Total = total;
        }

        public NatTest Test { get; }

        public NatTestState State { get; }

        /// <summary>Tests finished so far, this one included when it finished.</summary>
        public int Completed { get; }

        /// <summary>Tests planned so far; it grows once the first answer shows which tests the server supports.</summary>
        public int Total { get; }

        public override string ToString() => Test + " " + State + " (" + Completed + "/" + Total + ")";
    }
}
