namespace PSUpnp.Soap
{
    /// <summary>A SOAP fault as the body carried it: the UPnPError detail when present, faultcode/faultstring always.</summary>
    internal sealed class SoapFault
    {
        public SoapFault(int? errorCode, string errorDescription, string faultCode, string faultString)
        {
            ErrorCode = errorCode;
            ErrorDescription = errorDescription;
            FaultCode = faultCode;
            FaultString = faultString;
        }

        /// <summary>Null when the fault has no UPnPError detail or its errorCode is not a number.</summary>
        public int? ErrorCode { get; }
        public string ErrorDescription { get; }
        public string FaultCode { get; }
        public string FaultString { get; }
    }
}
