using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Xml;
using PSUpnp.Text;

namespace PSUpnp.Description
{
    /// <summary>
    /// Reads a UPnP root device description from bytes. Elements are matched by local name, whatever the namespace
    /// (devices omit xmlns or add vendor prefixes); DTDs are prohibited and nothing is resolved, so an external entity
    /// or an entity bomb ends in UpnpDescriptionDtdProhibited before anything is fetched or expanded.
    /// </summary>
    internal static class DeviceDescriptionParser
    {
        /// <summary>Deeper than any real gateway (three levels) and shallow enough that recursion stays cheap.</summary>
        internal const int MaxDeviceDepth = 32;

        public static DeviceDescription Parse(byte[] body) => Parse(body, 0, body?.Length ?? 0);

        public static DeviceDescription Parse(byte[] body, int offset, int count) => Parse(body, offset, count, null);

        /// <summary>As <see cref="Parse(byte[])"/>, naming <paramref name="source"/> (the description URL) as the errors' target.</summary>
        internal static DeviceDescription Parse(byte[] body, Uri source) => Parse(body, 0, body.Length, source);

        private static DeviceDescription Parse(byte[] body, int offset, int count, Uri? source)
        {
            if (body == null)
            {
                throw new ArgumentNullException(nameof(body));
            }

            if (count == 0)
            {
                throw DescriptionErrors.Malformed("the document is empty.", source);
            }

            var sawRoot = false;
            try
            {
                using (var reader = XmlReader.Create(new MemoryStream(body, offset, count, false), SafeXml.DescriptionReaderSettings))
                {
                    reader.MoveToContent();
                    sawRoot = true;
                    if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "root")
                    {
                        throw DescriptionErrors.Malformed("the document element is <" + reader.LocalName + ">, not <root>.", source);
                    }

                    return ReadRoot(reader);
                }
            }
            catch (UpnpException e) when (e.Target == null && source != null)
            {
                // The tree readers do not know where the document came from; the error must say it.
                throw e.About(source);
            }
            catch (Exception e) when (SafeXml.IsReaderFailure(e))
            {
                // A DTD can only stand before the document element, so the prolog alone tells the two failures apart.
                if (!sawRoot && SafeXml.PrologHasDoctype(body, offset, count))
                {
                    throw DescriptionErrors.DtdProhibited(source);
                }

                throw DescriptionErrors.Malformed("the XML is not well-formed: " + e.Message, source, e);
            }
        }

        private static DeviceDescription ReadRoot(XmlReader reader)
        {
            string? urlBase = null;
            DeviceNode? device = null;
            ReadChildren(reader, r =>
            {
                if (r.LocalName == "URLBase")
                {
                    urlBase = Text(r);
                }
                else if (r.LocalName == "device" && device == null)
                {
                    device = ReadDevice(r, 1);
                }
                else
                {
                    r.Skip();
                }
            });

            if (device == null)
            {
                throw DescriptionErrors.Malformed("<root> has no <device> element.");
            }

            return new DeviceDescription(string.IsNullOrEmpty(urlBase) ? null : urlBase, device);
        }

        private static DeviceNode ReadDevice(XmlReader reader, int level)
        {
            if (level > MaxDeviceDepth)
            {
                throw DescriptionErrors.Malformed("devices are nested more than " + MaxDeviceDepth + " levels deep.");
            }

            string deviceType = string.Empty, friendlyName = string.Empty, manufacturer = string.Empty, modelName = string.Empty, udn = string.Empty;
            string? presentationUrl = null;
            var services = new List<ServiceNode>();
            var devices = new List<DeviceNode>();
            ReadChildren(reader, r =>
            {
                switch (r.LocalName)
                {
                    case "deviceType":
                        deviceType = Text(r);
                        break;
                    case "friendlyName":
                        friendlyName = Text(r);
                        break;
                    case "manufacturer":
                        manufacturer = Text(r);
                        break;
                    case "modelName":
                        modelName = Text(r);
                        break;
                    case "UDN":
                        udn = RemoveWhitespace(Text(r));
                        break;
                    case "presentationURL":
                        presentationUrl = Text(r);
                        break;
                    case "serviceList":
                        ReadList(r, "service", item => services.Add(ReadService(item)));
                        break;
                    case "deviceList":
                        ReadList(r, "device", item => devices.Add(ReadDevice(item, level + 1)));
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });

            return new DeviceNode(
                deviceType,
                friendlyName,
                manufacturer,
                modelName,
                udn,
                string.IsNullOrEmpty(presentationUrl) ? null : presentationUrl,
                services,
                devices);
        }

        private static ServiceNode ReadService(XmlReader reader)
        {
            string serviceType = string.Empty, serviceId = string.Empty, controlUrl = string.Empty;
            ReadChildren(reader, r =>
            {
                switch (r.LocalName)
                {
                    case "serviceType":
                        serviceType = Text(r);
                        break;
                    case "serviceId":
                        serviceId = Text(r);
                        break;
                    case "controlURL":
                        controlUrl = Text(r);
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });

            return new ServiceNode(serviceType, serviceId, controlUrl);
        }

        private static void ReadList(XmlReader reader, string itemName, Action<XmlReader> readItem)
        {
            ReadChildren(reader, r =>
            {
                if (r.LocalName == itemName)
                {
                    readItem(r);
                }
                else
                {
                    r.Skip();
                }
            });
        }

        /// <summary>
        /// From the start tag of an element, hands each child element to <paramref name="readChild"/> (which must
        /// consume it) and leaves the reader after the element's end tag.
        /// </summary>
        private static void ReadChildren(XmlReader reader, Action<XmlReader> readChild)
        {
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return;
            }

            var depth = reader.Depth;
            reader.Read();
            while (MoveToChild(reader, depth))
            {
                readChild(reader);
            }

            reader.Read();
        }

        /// <summary>
        /// Moves to the next child element of the element at <paramref name="parentDepth"/>, skipping stray text;
        /// false (positioned on the parent's end tag) when there is none.
        /// </summary>
        private static bool MoveToChild(XmlReader reader, int parentDepth)
        {
            while (true)
            {
                if (reader.EOF)
                {
                    throw DescriptionErrors.Malformed("the document ends inside an element.");
                }

                if (reader.Depth <= parentDepth)
                {
                    return false;
                }

                if (reader.NodeType == XmlNodeType.Element)
                {
                    return true;
                }

                reader.Skip();
            }
        }

        private static string Text(XmlReader reader) => reader.ReadElementContentAsString().Trim();

        private static string RemoveWhitespace(string value)
        {
            // A WAG200G wraps its UDN across two lines; whitespace is never part of a UDN.
            for (var i = 0; i < value.Length; i++)
            {
                if (char.IsWhiteSpace(value[i]))
                {
                    var sb = new StringBuilder(value.Length);
                    foreach (var c in value)
                    {
                        if (!char.IsWhiteSpace(c))
                        {
                            sb.Append(c);
                        }
                    }

                    return sb.ToString();
                }
            }

            return value;
        }
    }
}
