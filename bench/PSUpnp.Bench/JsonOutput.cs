using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace PSUpnp.Bench
{
    /// <summary>
    /// Writes engine results as one JSON object per line, with the property names of the cmdlets' output objects.
    /// Written by hand rather than by reflection so the driver's start-up stays small.
    /// </summary>
    internal static class JsonOutput
    {
        public static string Line(Action<Utf8JsonWriter> write)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                write(writer);
            }

            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }

        public static void Gateway(Utf8JsonWriter w, UpnpGateway g)
        {
            w.WriteStartObject();
            w.WriteString("FriendlyName", g.FriendlyName);
            w.WriteString("Manufacturer", g.Manufacturer);
            w.WriteString("ModelName", g.ModelName);
            w.WriteString("Udn", g.Udn);
            w.WriteNumber("IgdVersion", g.IgdVersion);
            w.WriteString("ServiceType", g.ServiceType);
            w.WriteString("ControlUrl", g.ControlUrl?.AbsoluteUri);
            w.WriteString("DescriptionUrl", g.DescriptionUrl?.AbsoluteUri);
            w.WriteString("PresentationUrl", g.PresentationUrl?.AbsoluteUri);
            w.WriteString("LocalAddress", g.LocalAddress.ToString());
            w.WriteString("Server", g.Server);
            WriteTime(w, "ExpiresAt", g.ExpiresAt);
            w.WriteEndObject();
        }

        public static void Mapping(Utf8JsonWriter w, UpnpPortMapping m, string? change = null)
        {
            w.WriteStartObject();
            w.WriteString("Protocol", m.Protocol.ToString());
            w.WriteNumber("ExternalPort", m.ExternalPort);
            w.WriteString("InternalClient", m.InternalClient.ToString());
            w.WriteNumber("InternalPort", m.InternalPort);
            w.WriteString("RemoteHost", m.RemoteHost?.ToString());
            w.WriteBoolean("Enabled", m.Enabled);
            w.WriteString("Description", m.Description);
            w.WriteNumber("LeaseDuration", (long)m.LeaseDuration.TotalSeconds);
            w.WriteBoolean("IsPermanent", m.IsPermanent);
            WriteTime(w, "ExpiresAt", m.ExpiresAt);
            w.WriteString("ControlUrl", m.Gateway.ControlUrl?.AbsoluteUri);
            if (change != null)
            {
                w.WriteString("Change", change);
            }

            w.WriteEndObject();
        }

        /// <summary>A NAT-PMP or PCP mapping as the client reported it (until the façade returns a UpnpPortMapping for these ways).</summary>
        public static void PortControlMapping(Utf8JsonWriter w, string method, PortMappingProtocol protocol, int internalPort, int externalPort, TimeSpan lifetime, uint? epoch, string? nonce)
        {
            w.WriteStartObject();
            w.WriteString("Method", method);
            w.WriteString("Protocol", protocol.ToString());
            w.WriteNumber("InternalPort", internalPort);
            w.WriteNumber("ExternalPort", externalPort);
            w.WriteNumber("LifetimeSeconds", (long)lifetime.TotalSeconds);
            if (epoch.HasValue)
            {
                w.WriteNumber("Epoch", epoch.Value);
            }

            if (nonce != null)
            {
                w.WriteString("Nonce", nonce);
            }

            w.WriteEndObject();
        }

        public static void ExternalAddress(Utf8JsonWriter w, UpnpExternalAddress a)
        {
            w.WriteStartObject();
            w.WriteString("ExternalAddress", a.ExternalAddress?.ToString());
            w.WriteString("ConnectionStatus", a.ConnectionStatus);
            w.WriteNumber("Uptime", (long)a.Uptime.TotalSeconds);
            w.WriteString("LastConnectionError", a.LastConnectionError);
            w.WriteBoolean("IsBehindAnotherNat", a.IsBehindAnotherNat);
            w.WriteString("ControlUrl", a.Gateway.ControlUrl?.AbsoluteUri);
            w.WriteEndObject();
        }

        public static void NatType(Utf8JsonWriter w, NatTypeResult r)
        {
            w.WriteStartObject();
            w.WriteString("NatType", r.NatType.ToString());
            w.WriteString("MappingBehavior", r.MappingBehavior.ToString());
            w.WriteString("FilteringBehavior", r.FilteringBehavior.ToString());
            WriteBoolean(w, "Hairpinning", r.Hairpinning);
            WriteBoolean(w, "IsDirect", r.IsDirect);
            w.WriteString("LocalEndpoint", r.LocalEndpoint.ToString());
            w.WriteString("PublicEndpoint", r.PublicEndpoint?.ToString());
            w.WriteString("Server", r.Server);
            w.WriteString("GatewayExternalAddress", r.GatewayExternalAddress?.ToString());
            WriteBoolean(w, "IsDoubleNat", r.IsDoubleNat);
            w.WriteString("DoubleNat", r.DoubleNat);
            w.WriteString("Verdict", r.Verdict);
            w.WriteString("Reason", r.Reason);
            w.WriteEndObject();
        }

        public static void Error(Utf8JsonWriter w, Exception e)
        {
            w.WriteStartObject();
            if (e is UpnpException u)
            {
                w.WriteString("ErrorId", u.ErrorId);
                w.WriteString("Category", u.Category.ToString());
                w.WriteString("Message", u.Message);
                w.WriteString("RecommendedAction", u.RecommendedAction);
                w.WriteString("Target", u.Target?.ToString());
                if (u is UpnpFaultException f)
                {
                    w.WriteNumber("ErrorCode", f.ErrorCode);
                    w.WriteString("ErrorDescription", f.ErrorDescription);
                    w.WriteString("ActionName", f.ActionName);
                }
            }
            else
            {
                w.WriteString("ErrorId", e.GetType().Name);
                w.WriteString("Category", "NotSpecified");
                w.WriteString("Message", e.Message);
            }

            w.WriteEndObject();
        }

        public static void Timing(Utf8JsonWriter w, string scenario, double coldMs, IReadOnlyList<double> warmMs)
        {
            w.WriteStartObject();
            w.WriteString("scenario", scenario);
            w.WriteNumber("cold_ms", Math.Round(coldMs, 3));
            w.WriteNumber("median_ms", Math.Round(Stats.Median(warmMs), 3));
            w.WriteNumber("runs", warmMs.Count);
            w.WriteNumber("peak_rss_mb", Math.Round(Stats.PeakRssMb(), 1));
            w.WriteEndObject();
        }

        private static void WriteBoolean(Utf8JsonWriter w, string name, bool? value)
        {
            if (value.HasValue)
            {
                w.WriteBoolean(name, value.Value);
            }
            else
            {
                w.WriteNull(name);
            }
        }

        private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? value)
        {
            if (value.HasValue)
            {
                w.WriteString(name, value.Value.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteNull(name);
            }
        }
    }
}
