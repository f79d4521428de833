using System;
using System.Collections.Generic;

namespace PSUpnp.Net
{
    /// <summary>A complete HTTP/1.x response: status, headers in arrival order, and the decoded body.</summary>
    internal sealed class HttpResponse
    {
        public HttpResponse(int statusCode, string reasonPhrase, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
            : this(statusCode, reasonPhrase, headers, body, 1)
        {
        }

        private HttpResponse(int statusCode, string reasonPhrase, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, int sends)
        {
            StatusCode = statusCode;
            ReasonPhrase = reasonPhrase;
            Headers = headers;
            Body = body;
            Sends = sends;
        }

        public int StatusCode { get; }
        public string ReasonPhrase { get; }
        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }
        public byte[] Body { get; }

        /// <summary>
        /// How many times the request was sent before this answer came (see <see cref="HttpRetryPolicy"/>). More than one
        /// means an earlier copy may have reached the device and been acted on, its answer lost.
        /// </summary>
        public int Sends { get; }

        internal HttpResponse WithSends(int sends) => new HttpResponse(StatusCode, ReasonPhrase, Headers, Body, sends);

        /// <summary>The first header of that name, compared without case; null when absent.</summary>
        public string? GetHeader(string name)
        {
            foreach (var h in Headers)
            {
                if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return h.Value;
                }
            }

            return null;
        }
    }
}
