using System;
using System.Globalization;

namespace PSUpnp
{
    /// <summary>
    /// One error the module can report: its stable ErrorId, its category and what the user can do. Every entry lives
    /// in <see cref="UpnpErrors"/>; an exception is built from an entry, so no ErrorId exists outside that list.
    /// </summary>
    public sealed class UpnpErrorEntry
    {
        private const string NumberPlaceholder = "<n>";

        internal UpnpErrorEntry(string id, UpnpErrorCategory? category, string meaning, string recommendedAction)
        {
            Id = id;
            Category = category;
            Meaning = meaning;
            RecommendedAction = recommendedAction;
        }

        /// <summary>
        /// The ErrorId, e.g. UpnpGatewayNotFound. A family of ids numbered by what the router sent is written with
        /// &lt;n&gt; (UpnpError&lt;n&gt;: the UPnP error code; UpnpHttpError&lt;n&gt;: the HTTP status).
        /// </summary>
        public string Id { get; }

        /// <summary>The category; null when it depends on the number or on the cause (then the exception carries it).</summary>
        public UpnpErrorCategory? Category { get; }

        /// <summary>What the error means, in one sentence (the about_PSUpnp error table shows it).</summary>
        public string Meaning { get; }

        /// <summary>What to do; for a numbered family, the advice when the number has none of its own.</summary>
        public string RecommendedAction { get; }

        /// <summary>True for a family of ids numbered by what the router sent.</summary>
        internal bool IsNumbered => Id.EndsWith(NumberPlaceholder, StringComparison.Ordinal);

        /// <summary>The ErrorId of one member of a numbered family: UpnpError718 for 718.</summary>
        internal string IdFor(int number)
        {
            if (!IsNumbered)
            {
                throw new InvalidOperationException(Id + " is not a numbered family of errors.");
            }

            return Id.Substring(0, Id.Length - NumberPlaceholder.Length) + number.ToString(CultureInfo.InvariantCulture);
        }

        public override string ToString() => Id;
    }
}
