using System;
using System.Collections.Generic;

namespace PSUpnp.Net
{
    /// <summary>A complete HTTP/1.x response: status, headers in arrival order, and the decoded body.</summary>
    public sealed class HttpResponse
    {
        public HttpResponse(int statusCode, string reasonPhrase, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
        {
            StatusCode = statusCode;
            ReasonPhrase = reasonPhrase;
            Headers = headers;
            Body = body;
        }

        public int StatusCode { get; }
        public string ReasonPhrase { get; }
        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }
        public byte[] Body { get; }

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
