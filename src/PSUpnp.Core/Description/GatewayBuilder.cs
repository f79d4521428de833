using System;
using System.Collections.Generic;
using System.Net;

namespace PSUpnp.Description
{
    /// <summary>Turns a parsed description into one UpnpGateway per WAN connection service, in document order.</summary>
    internal static class GatewayBuilder
    {
        public const string WanIPConnection = "WANIPConnection";
        public const string WanPppConnection = "WANPPPConnection";
        private const string WanIPv6FirewallControl = "WANIPv6FirewallControl";
        private const string InternetGatewayDevice = "InternetGatewayDevice";

        /// <summary>
        /// Every WANIPConnection and WANPPPConnection service of any version anywhere in the device tree.
        /// Throws UpnpNoConnectionService when there is none, UpnpMalformedDescription when none has a usable control URL.
        /// </summary>
        public static IReadOnlyList<UpnpGateway> Build(
            DeviceDescription description,
            Uri descriptionUrl,
            IPAddress localAddress,
            string? server = null,
            DateTimeOffset? expiresAt = null,
            ITraceSink? trace = null)
        {
            if (description == null)
            {
                throw new ArgumentNullException(nameof(description));
            }

            trace ??= NullTraceSink.Instance;
            var baseUrl = DescriptionUrl.BaseOf(description.UrlBase, descriptionUrl);
            if (description.UrlBase != null && ReferenceEquals(baseUrl, descriptionUrl))
            {
                trace.Trace("Description: URLBase '" + description.UrlBase + "' is not an absolute http URL; resolving against " + descriptionUrl);
            }

            var found = new List<(DeviceNode Igd, ServiceNode Service, DeviceNode Device)>();
            Walk(description.RootDevice, description.RootDevice, found);
            var root = description.RootDevice;
            if (found.Count == 0)
            {
                throw DescriptionErrors.NoConnectionService(Name(root), descriptionUrl);
            }

            var gateways = new List<UpnpGateway>(found.Count);
            foreach (var (igd, service, device) in found)
            {
                var controlUrl = DescriptionUrl.Resolve(baseUrl, service.ControlUrl);
                if (controlUrl == null)
                {
                    trace.Trace("Description: " + service.ServiceType + " has control URL '" + service.ControlUrl + "', which is not a usable http URL; skipped");
                    continue;
                }

                var igdVersion = ServiceTypeParts.Name(igd.DeviceType) == InternetGatewayDevice
                    ? ServiceTypeParts.Version(igd.DeviceType)
                    : ServiceTypeParts.Version(service.ServiceType);
                gateways.Add(new UpnpGateway(
                    igd.FriendlyName,
                    igd.Manufacturer,
                    igd.ModelName,
                    igd.Udn,
                    igdVersion,
                    service.ServiceType,
                    controlUrl,
                    descriptionUrl,
                    DescriptionUrl.Resolve(baseUrl, igd.PresentationUrl ?? root.PresentationUrl),
                    localAddress,
                    server,
                    expiresAt,
                    firewallControlUrl: FirewallControlOf(device, baseUrl, trace)));
            }

            if (gateways.Count == 0)
            {
                throw DescriptionErrors.Malformed(
                    "no WAN connection service of '" + Name(root) + "' has a control URL that is an http URL.",
                    descriptionUrl);
            }

            return gateways;
        }

        /// <summary>True for WANIPConnection and WANPPPConnection of any version and any URN domain.</summary>
        public static bool IsConnectionService(string serviceType)
        {
            var name = ServiceTypeParts.Name(serviceType);
            return (name == WanIPConnection || name == WanPppConnection) && serviceType.Split(':').Length >= 5;
        }

        /// <summary>
        /// The WANIPv6FirewallControl service's control URL: IGD v2 places it in the WANConnectionDevice beside the
        /// connection service, so only that device is searched (another device's firewall is not this connection's).
        /// </summary>
        private static Uri? FirewallControlOf(DeviceNode device, Uri baseUrl, ITraceSink trace)
        {
            foreach (var service in device.Services)
            {
                if (ServiceTypeParts.Name(service.ServiceType) != WanIPv6FirewallControl)
                {
                    continue;
                }

                var url = DescriptionUrl.Resolve(baseUrl, service.ControlUrl);
                if (url == null)
                {
                    trace.Trace("Description: " + service.ServiceType + " has control URL '" + service.ControlUrl + "', which is not a usable http URL; no IPv6 pinholes");
                }

                return url;
            }

            return null;
        }

        private static void Walk(DeviceNode device, DeviceNode igd, List<(DeviceNode Igd, ServiceNode Service, DeviceNode Device)> found)
        {
            // The identity shown for a service is that of the nearest InternetGatewayDevice above it, else the root's.
            if (ServiceTypeParts.Name(device.DeviceType) == InternetGatewayDevice && device.DeviceType.Split(':').Length >= 5)
            {
                igd = device;
            }

            foreach (var service in device.Services)
            {
                if (IsConnectionService(service.ServiceType))
                {
                    found.Add((igd, service, device));
                }
            }

            foreach (var child in device.Devices)
            {
                Walk(child, igd, found);
            }
        }

        private static string Name(DeviceNode device) =>
            device.FriendlyName.Length > 0 ? device.FriendlyName : device.ModelName.Length > 0 ? device.ModelName : device.DeviceType;
    }
}
