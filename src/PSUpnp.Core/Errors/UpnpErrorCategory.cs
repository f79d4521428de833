namespace PSUpnp
{
    /// <summary>
    /// The kind of failure, named as PowerShell's ErrorCategory names it so the cmdlet layer can map it by name
    /// without the engine referencing PowerShell.
    /// </summary>
    public enum UpnpErrorCategory
    {
        NotSpecified,
        ConnectionError,
        OperationTimeout,
        ProtocolError,
        InvalidArgument,
        InvalidData,
        InvalidResult,
        ObjectNotFound,
        ResourceExists,
        ResourceUnavailable,
        PermissionDenied,
        SecurityError,
        NotImplemented,
        LimitsExceeded,
        OperationStopped,
    }
}
