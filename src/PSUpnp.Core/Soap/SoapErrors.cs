using System;
using System.Globalization;

namespace PSUpnp.Soap
{
    /// <summary>The engine's errors for SOAP answers that are not what UPnP control promises.</summary>
    internal static class SoapErrors
    {
        public static UpnpMalformedResponseException Malformed(string actionName, Uri controlUrl, string detail, Exception? inner) =>
            new UpnpMalformedResponseException(
                string.Format(CultureInfo.InvariantCulture, "The router's answer to {0} at {1} is not a valid SOAP response: {2}.", actionName, controlUrl, detail.TrimEnd('.')),
                controlUrl,
                inner);

        /// <summary>A non-success HTTP status whose body is not a SOAP fault.</summary>
        public static UpnpHttpStatusException Http(int statusCode, string reasonPhrase, string actionName, Uri controlUrl)
        {
            var reason = string.IsNullOrWhiteSpace(reasonPhrase) ? string.Empty : " " + reasonPhrase.Trim();
            return new UpnpHttpStatusException(
                statusCode,
                string.Format(CultureInfo.InvariantCulture, "The router answered HTTP {0}{1} to {2} at {3}.", statusCode, reason, actionName, controlUrl),
                controlUrl);
        }

        /// <summary>A SOAP fault without a UPnPError code: still a refusal, reported with what the device said.</summary>
        public static UpnpException FaultWithoutCode(SoapFault fault, string actionName, Uri controlUrl) =>
            new UpnpException(
                UpnpErrors.SoapFault,
                string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} failed with a SOAP fault that carries no UPnP error code (faultcode '{1}', faultstring '{2}'). Control URL: {3}",
                    actionName,
                    fault.FaultCode,
                    fault.FaultString,
                    controlUrl),
                controlUrl);
    }
}
