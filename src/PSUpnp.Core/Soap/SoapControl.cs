using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Net;

namespace PSUpnp.Soap
{
    /// <summary>
    /// One control endpoint: sends an action, one HTTP round trip, and returns its out arguments or throws the
    /// device's refusal as a typed exception. Immutable, so one instance serves many threads.
    /// </summary>
    internal sealed class SoapControl
    {
        public SoapControl(Uri controlUrl, string serviceType, ITraceSink trace, HttpLimits limits)
        {
            ControlUrl = controlUrl;
            ServiceType = serviceType;
            Trace = trace;
            Limits = limits;
        }

        public Uri ControlUrl { get; }
        public TimeSpan Timeout => Limits.Timeout;
        public string ServiceType { get; }
        private ITraceSink Trace { get; }
        private HttpLimits Limits { get; }

        /// <summary>
        /// One action. The exchange survives loss as <see cref="HttpLimits.Retry"/> says, the request resent as
        /// <paramref name="resend"/> says: the caller's action table states it per action (a query goes again beside its
        /// earlier copies; a change only as far as a second copy is harmless or recognised).
        /// </summary>
        public async Task<SoapResponse> InvokeAsync(string actionName, IReadOnlyList<KeyValuePair<string, string>> arguments, HttpResend resend, CancellationToken cancellationToken)
        {
            var body = SoapEnvelope.Encode(ServiceType, actionName, arguments);
            var headers = SoapEnvelope.Headers(ServiceType, actionName);
            var limits = Limits.WithRetry(Limits.Retry.WithResend(resend));
            var started = Stopwatch.GetTimestamp();
            HttpResponse response;
            try
            {
                response = await HttpExchange.SendAsync("POST", ControlUrl, headers, body, limits, Trace, cancellationToken).ConfigureAwait(false);
            }
            catch (UpnpException ex)
            {
                TraceExchange(actionName, ex.ErrorId, started);
                throw;
            }
            catch (OperationCanceledException)
            {
                TraceExchange(actionName, "cancelled", started);
                throw;
            }

            var outcome = "HTTP " + response.StatusCode.ToString(CultureInfo.InvariantCulture)
                + (response.Sends > 1 ? " after " + response.Sends.ToString(CultureInfo.InvariantCulture) + " sends" : string.Empty);
            try
            {
                return Interpret(response.StatusCode, response.ReasonPhrase, response.Body, actionName, ControlUrl, response.Sends > 1);
            }
            catch (UpnpFaultException ex)
            {
                outcome += " UPnPError " + ex.ErrorCode.ToString(CultureInfo.InvariantCulture);
                throw;
            }
            catch (UpnpException ex)
            {
                outcome += " " + ex.ErrorId;
                throw;
            }
            finally
            {
                TraceExchange(actionName, outcome, started);
            }
        }

        /// <summary>
        /// What an HTTP answer to a control request means. A SOAP fault comes with HTTP 500 (some devices send it with
        /// 200); any other failing status is an HTTP error of its own.
        /// </summary>
        internal static SoapResponse Interpret(int statusCode, string reasonPhrase, byte[] body, string actionName, Uri controlUrl, bool resent = false)
        {
            var isSuccess = statusCode >= 200 && statusCode <= 299;
            if (!isSuccess && statusCode != 500)
            {
                throw SoapErrors.Http(statusCode, reasonPhrase, actionName, controlUrl);
            }

            SoapResponseParser.Result parsed;
            try
            {
                parsed = SoapResponseParser.Parse(body, actionName, controlUrl);
            }
            catch (UpnpMalformedResponseException) when (!isSuccess)
            {
                throw SoapErrors.Http(statusCode, reasonPhrase, actionName, controlUrl);
            }

            if (parsed.Fault != null)
            {
                throw parsed.Fault.ErrorCode is int code
                    ? new UpnpFaultException(code, parsed.Fault.ErrorDescription, actionName, controlUrl, resent)
                    : SoapErrors.FaultWithoutCode(parsed.Fault, actionName, controlUrl);
            }

            if (!isSuccess)
            {
                throw SoapErrors.Http(statusCode, reasonPhrase, actionName, controlUrl);
            }

            return parsed.Response!;
        }

        private void TraceExchange(string actionName, string outcome, long started)
        {
            var ms = (Stopwatch.GetTimestamp() - started) * 1000 / Stopwatch.Frequency;
            Trace.Trace(string.Format(CultureInfo.InvariantCulture, "SOAP {0} {1} -> {2} ({3} ms)", actionName, ControlUrl, outcome, ms));
        }
    }
}
