using System;
using System.Management.Automation;
using System.Net;

namespace PSUpnp.Commands
{
    /// <summary>
    /// An empty or blank string (what Import-Csv gives for an empty cell) means the parameter was not given, so its
    /// default applies: this host as internal client, any remote host, the default description and lease, TCP, the
    /// external port as internal port. For an IPAddress parameter it also reads the address out of a deserialized
    /// IPAddress (a saved mapping's InternalClient or RemoteHost) and explains an address that cannot be read.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class BlankMeansNotGivenAttribute : ArgumentTransformationAttribute
    {
        private const string DeserializedAddress = "Deserialized.System.Net.IPAddress";

        /// <summary>Set for IPAddress parameters: what the value must look like, for the error.</summary>
        public bool Address { get; set; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var wrapped = inputData as PSObject;
            var value = wrapped != null ? wrapped.BaseObject : inputData;
            if (value is string text && string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (!Address)
            {
                return inputData;
            }

            if (wrapped != null && wrapped.TypeNames.Contains(DeserializedAddress))
            {
                text = wrapped.ToString();
            }
            else if (value is string given)
            {
                text = given.Trim();
            }
            else
            {
                return inputData;
            }

            return IPAddress.TryParse(text, out var address)
                ? address
                : throw new ArgumentTransformationMetadataException(
                    "'" + text + "' is not an IP address. Give an IPv4 address such as 192.168.1.20, or leave it out " +
                    "(an empty CSV cell) for the default.");
        }
    }
}
