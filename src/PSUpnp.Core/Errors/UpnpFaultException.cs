using System;

namespace PSUpnp
{
    /// <summary>A SOAP fault carrying a UPnPError from the device.</summary>
    public sealed class UpnpFaultException : UpnpException
    {
        internal UpnpFaultException(int errorCode, string errorDescription, string actionName, Uri controlUrl)
            : this(errorCode, errorDescription, actionName, controlUrl, false)
        {
        }

        internal UpnpFaultException(int errorCode, string errorDescription, string actionName, Uri controlUrl, bool requestWasResent)
            : base(
                UpnpErrors.Fault,
                UpnpErrors.Fault.IdFor(errorCode),
                UpnpFaultCodes.CategoryOf(errorCode),
                UpnpFaultCodes.RecommendedAction(errorCode),
                UpnpFaultCodes.Message(errorCode, errorDescription, actionName, controlUrl),
                controlUrl,
                null)
        {
            ErrorCode = errorCode;
            ErrorDescription = errorDescription ?? string.Empty;
            ActionName = actionName;
            ControlUrl = controlUrl;
            RequestWasResent = requestWasResent;
        }

        /// <summary>The UPnP error code, e.g. 718 for ConflictInMappingEntry.</summary>
        public int ErrorCode { get; }
        /// <summary>The errorDescription text as the device sent it.</summary>
        public string ErrorDescription { get; }
        /// <summary>The SOAP action that failed, e.g. AddPortMapping.</summary>
        public string ActionName { get; }
        public Uri ControlUrl { get; }

        /// <summary>
        /// True when the request had been sent more than once because an earlier answer was lost: the device may have
        /// acted on the earlier copy, so this fault can be its answer to our own change (718 after an add, 714 after a
        /// delete).
        /// </summary>
        public bool RequestWasResent { get; }
        /// <summary>A plain explanation of the code, independent of what the device wrote.</summary>
        public string Explanation => UpnpFaultCodes.Explain(ErrorCode);
    }
}
