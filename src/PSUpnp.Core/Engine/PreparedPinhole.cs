using System;
using System.Net;
using PSUpnp.Igd;

namespace PSUpnp.Engine
{
    /// <summary>
    /// An IPv6 pinhole request checked for one gateway, with its defaults applied and the router's IPv6 control URL
    /// found (<see cref="UpnpEngine.PreparePinhole"/>): what will be sent, shown as is by ShouldProcess.
    /// </summary>
    internal sealed class PreparedPinhole
    {
        internal PreparedPinhole(UpnpGateway gateway, Uri controlUrl, IPAddress? sender, PinholeTarget target, bool isRenewal, int? pinholeId)
        {
            Gateway = gateway;
            ControlUrl = controlUrl;
            Sender = sender;
            Target = target;
            IsRenewal = isRenewal;
            PinholeId = pinholeId;
        }

        public UpnpGateway Gateway { get; }

        /// <summary>The firewall service's control URL on the router's IPv6 address.</summary>
        public Uri ControlUrl { get; }

        /// <summary>This host's address the actions go from: the internal client when it is this host's, else its default global address.</summary>
        public IPAddress? Sender { get; }

        internal PinholeTarget Target { get; }
        public bool IsRenewal { get; }

        /// <summary>The pinhole a renewal updates; null: a new one (or, renewing, the one AddPinhole finds equal).</summary>
        public int? PinholeId { get; }

        public override string ToString() => Target + " on " + Gateway.FriendlyName + " ([" + ControlUrl.DnsSafeHost + "])";
    }
}
