using System;

namespace PSUpnp.Description
{
    /// <summary>Resolves the URLs of a description (controlURL, presentationURL) as UDA 1.0 and 1.1 say.</summary>
    internal static class DescriptionUrl
    {
        /// <summary>
        /// The base against which relative URLs resolve: URLBase when it is a valid absolute http URL, else the URL
        /// the description was read from. Devices ship URLBase values that are templates or point elsewhere
        /// (http://%s:%d, http://127.0.0.1); UDA 1.1 deprecated URLBase for this reason.
        /// </summary>
        public static Uri BaseOf(string? urlBase, Uri descriptionUrl)
        {
            return urlBase != null && TryAbsoluteHttp(urlBase, out var parsed) ? parsed : descriptionUrl;
        }

        /// <summary>An absolute http URL for <paramref name="value"/>, relative ones resolved against <paramref name="baseUrl"/>; null when it cannot be one.</summary>
        public static Uri? Resolve(Uri baseUrl, string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            if (HasHttpScheme(value!))
            {
                return TryAbsoluteHttp(value!, out var absolute) ? absolute : null;
            }

            // Anything else is a relative reference. A first segment with a colon ("uuid:.../WANIPConnection:1",
            // seen on Broadcom stacks) would read as a scheme, so it is made explicitly path-relative (RFC 3986, 4.2).
            var reference = value!;
            var colon = reference.IndexOf(':');
            var slash = reference.IndexOf('/');
            if (colon >= 0 && (slash < 0 || colon < slash))
            {
                reference = "./" + reference;
            }

            return Uri.TryCreate(baseUrl, reference, out var resolved) && IsHttp(resolved) ? resolved : null;
        }

        private static bool HasHttpScheme(string value) =>
            value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

        private static bool TryAbsoluteHttp(string value, out Uri uri)
        {
            // On Unix "/path" parses as an absolute file: URI, hence the scheme test before Uri is asked.
            if (HasHttpScheme(value) && Uri.TryCreate(value, UriKind.Absolute, out var parsed) && IsHttp(parsed))
            {
                uri = parsed;
                return true;
            }

            uri = null!;
            return false;
        }

        private static bool IsHttp(Uri uri) =>
            uri.IsAbsoluteUri
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0;
    }
}
