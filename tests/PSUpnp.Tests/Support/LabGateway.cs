using System;
using System.Globalization;
using PSUpnp.Lab;

namespace PSUpnp.Tests.Support
{
    /// <summary>The lab's miniupnpd as a gateway object, built from lab.conf, so that a test need not depend on discovery.</summary>
    public static class LabGateway
    {
        /// <summary>miniupnpd serves WANIPConnection:2 at /ctl/IPConn; <paramref name="serviceVersion"/> 1 speaks to it as a v1 service.</summary>
        public static UpnpGateway Miniupnpd(LabEnvironment env, int serviceVersion = 2) => new UpnpGateway(
            "PSUpnp lab router",
            "Debian",
            "Debian router",
            "uuid:" + env.MiniupnpdUuid,
            2,
            "urn:schemas-upnp-org:service:WANIPConnection:" + serviceVersion.ToString(CultureInfo.InvariantCulture),
            new Uri("http://" + env.RouterLanAddress + ":" + env.MiniupnpdHttpPort.ToString(CultureInfo.InvariantCulture) + "/ctl/IPConn"),
            env.RootDescriptionUrl,
            null,
            env.LanAddress);
    }
}
