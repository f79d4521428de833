namespace PSUpnp.Net
{
    /// <summary>Whether, and how, a request may be sent again when its answer seems lost.</summary>
    public enum HttpResend
    {
        /// <summary>Never: a second copy could do harm that the caller cannot undo or recognise.</summary>
        Never,

        /// <summary>
        /// After closing the connection of the earlier copy, so that two copies are never in flight together: for a request
        /// that changes something, whose second arrival the caller can recognise (an add answered 718, a delete 714).
        /// </summary>
        AfterClosing,

        /// <summary>
        /// Only when the device closed or reset the connection before its answer was complete, never after silence: for
        /// a change that a router may take seconds to commit (an AddPortMapping on a busy router), whose copy sent after
        /// a pause would be carried out a second time. The one copy then waits for the exchange's whole bound.
        /// </summary>
        AfterCutOff,

        /// <summary>
        /// Beside the earlier copies, which keep running; the first complete answer wins: for a query, which changes
        /// nothing on the device however often it arrives.
        /// </summary>
        Overlapping,
    }
}
