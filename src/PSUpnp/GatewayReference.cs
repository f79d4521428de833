using System;

namespace PSUpnp.Commands
{
    /// <summary>
    /// What -Gateway was given, as <see cref="GatewayTransformationAttribute"/> understood it: a gateway ready to use (a
    /// UpnpGateway, or one rebuilt from a saved copy), or a description URL still to be read. Binding does no I/O, so a
    /// URL is only remembered here; <see cref="GatewayCmdletBase"/> reads it inside the cmdlet's -TimeoutSec.
    /// </summary>
    public sealed class GatewayReference
    {
        // Internal constructors: PowerShell must not convert arbitrary objects into a reference on its own; only the
        // transformation decides what is a gateway, so that a piped mapping or CSV row is left to bind by property name.
        internal GatewayReference(UpnpGateway gateway, object given)
        {
            Gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            Given = given ?? throw new ArgumentNullException(nameof(given));
        }

        internal GatewayReference(Uri location, object given)
        {
            Location = location ?? throw new ArgumentNullException(nameof(location));
            Given = given ?? throw new ArgumentNullException(nameof(given));
        }

        /// <summary>The gateway itself, when it was given (or saved) whole.</summary>
        public UpnpGateway? Gateway { get; }

        /// <summary>The device description URL to read, when a URL was given.</summary>
        public Uri? Location { get; }

        /// <summary>What the user passed: the target of an error about this gateway.</summary>
        public object Given { get; }

        internal static GatewayReference Of(UpnpGateway gateway) => new GatewayReference(gateway, gateway);

        public override string ToString() => Gateway?.ToString() ?? Location!.ToString();
    }
}
