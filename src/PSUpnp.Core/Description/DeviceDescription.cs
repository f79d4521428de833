using System.Collections.Generic;

namespace PSUpnp.Description
{
    /// <summary>A root device description as the device wrote it: raw strings, URLs not yet resolved.</summary>
    internal sealed class DeviceDescription
    {
        public DeviceDescription(string? urlBase, DeviceNode rootDevice)
        {
            UrlBase = urlBase;
            RootDevice = rootDevice;
        }

        /// <summary>URLBase (deprecated by UDA 1.1 but still common); null when absent or empty.</summary>
        public string? UrlBase { get; }
        public DeviceNode RootDevice { get; }
    }

    /// <summary>One device element: its identity, its services and its embedded devices.</summary>
    internal sealed class DeviceNode
    {
        public DeviceNode(
            string deviceType,
            string friendlyName,
            string manufacturer,
            string modelName,
            string udn,
            string? presentationUrl,
            IReadOnlyList<ServiceNode> services,
            IReadOnlyList<DeviceNode> devices)
        {
            DeviceType = deviceType;
            FriendlyName = friendlyName;
            Manufacturer = manufacturer;
            ModelName = modelName;
            Udn = udn;
            PresentationUrl = presentationUrl;
            Services = services;
            Devices = devices;
        }

        public string DeviceType { get; }
        public string FriendlyName { get; }
        public string Manufacturer { get; }
        public string ModelName { get; }
        public string Udn { get; }
        public string? PresentationUrl { get; }
        public IReadOnlyList<ServiceNode> Services { get; }
        public IReadOnlyList<DeviceNode> Devices { get; }
    }

    /// <summary>One service element.</summary>
    internal sealed class ServiceNode
    {
        public ServiceNode(string serviceType, string serviceId, string controlUrl)
        {
            ServiceType = serviceType;
            ServiceId = serviceId;
            ControlUrl = controlUrl;
        }

        public string ServiceType { get; }
        public string ServiceId { get; }
        /// <summary>controlURL as written: absolute or relative.</summary>
        public string ControlUrl { get; }
    }
}
