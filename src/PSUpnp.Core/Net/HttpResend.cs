namespace PSUpnp.Net
{
    /// <summary>Whether, and how, a request may be sent again when its answer seems lost.</summary>
    internal enum HttpResend
    {
        /// <summary>Never: a second copy could do harm that the caller cannot undo or recognise.</summary>
        Never,

        /// <summary>
        /// After closing the connection of the earlier copy, so that two copies are never in flight together: for a request
        /// that changes something, whose second arrival the caller can recognise (an add answered 718, a delete 714).
        /// </summary>
        AfterClosing,

        /// <summary>
        /// Beside the earlier copies, which keep running; the first complete answer wins: for a query, which changes
        /// nothing on the device however often it arrives.
        /// </summary>
        Overlapping,
    }
}
