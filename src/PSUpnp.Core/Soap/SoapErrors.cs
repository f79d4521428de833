using System;
using System.Globalization;

namespace PSUpnp.Soap
{
    /// <summary>The engine's errors for SOAP answers that are not what UPnP control promises.</summary>
    internal static class SoapErrors
    {
        public static UpnpException Malformed(string actionName, Uri controlUrl, string detail, Exception? inner) =>
            new UpnpException(
                "UpnpMalformedResponse",
                UpnpErrorCategory.InvalidData,
                string.Format(CultureInfo.InvariantCulture, "The router's answer to {0} at {1} is not a valid SOAP response: {2}.", actionName, controlUrl, detail.TrimEnd('.')),
                "The router's UPnP service answered something unusable; try again, or update or restart the router.",
                controlUrl,
                inner);

        /// <summary>A non-success HTTP status whose body is not a SOAP fault.</summary>
        public static UpnpException Http(int statusCode, string reasonPhrase, string actionName, Uri controlUrl)
        {
            var category = statusCode switch
            {
                401 or 403 => UpnpErrorCategory.PermissionDenied,
                404 => UpnpErrorCategory.ObjectNotFound,
                405 or 501 => UpnpErrorCategory.NotImplemented,
                503 => UpnpErrorCategory.ResourceUnavailable,
                _ => UpnpErrorCategory.ProtocolError,
            };
            var action = statusCode switch
            {
                401 or 403 => "The router refuses UPnP control from this host; check its UPnP settings.",
                404 => "The control URL no longer exists; search for the gateway again (the router may have restarted).",
                _ => "Try again; if it keeps failing, check that UPnP is enabled on the router or restart it.",
            };
            var reason = string.IsNullOrWhiteSpace(reasonPhrase) ? string.Empty : " " + reasonPhrase.Trim();
            return new UpnpException(
                "UpnpHttpError" + statusCode.ToString(CultureInfo.InvariantCulture),
                category,
                string.Format(CultureInfo.InvariantCulture, "The router answered HTTP {0}{1} to {2} at {3}.", statusCode, reason, actionName, controlUrl),
                action,
                controlUrl);
        }

        /// <summary>A SOAP fault without a UPnPError code: still a refusal, reported with what the device said.</summary>
        public static UpnpException FaultWithoutCode(SoapFault fault, string actionName, Uri controlUrl) =>
            new UpnpException(
                "UpnpSoapFault",
                UpnpErrorCategory.ProtocolError,
                string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} failed with a SOAP fault that carries no UPnP error code (faultcode '{1}', faultstring '{2}'). Control URL: {3}",
                    actionName,
                    fault.FaultCode,
                    fault.FaultString,
                    controlUrl),
                "Try again; if it keeps failing, check that UPnP is enabled on the router or restart it.",
                controlUrl);
    }
}
