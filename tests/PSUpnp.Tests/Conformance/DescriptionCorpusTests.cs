using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using PSUpnp.Description;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Description
{
    /// <summary>
    /// Every description of ../shared/corpus/upnp-desc through the parser and the gateway builder: the values each one
    /// carries, or the engine's typed error for the ones that cannot serve (templates, devices without a WAN service).
    /// </summary>
    public class DescriptionCorpusTests
    {
        private static readonly Uri ReadFrom = new Uri("http://192.168.1.1:5000/rootDesc.xml");
        private static readonly IPAddress Local = IPAddress.Parse("192.168.1.10");

        private sealed class Expected
        {
            public string FriendlyName = string.Empty;
            public int IgdVersion = 1;
            public string? Presentation;
            public (string ServiceType, string ControlUrl)[] Services = Array.Empty<(string, string)>();
            public string? ErrorId;
        }

        private const string Ip1 = "urn:schemas-upnp-org:service:WANIPConnection:1";
        private const string Ip2 = "urn:schemas-upnp-org:service:WANIPConnection:2";
        private const string Ppp1 = "urn:schemas-upnp-org:service:WANPPPConnection:1";

        // Read off each sample by hand. Keyed by the sample's base name: X.xml and X.http share an entry.
        private static readonly Dictionary<string, Expected> Samples = new Dictionary<string, Expected>(StringComparer.Ordinal)
        {
            ["actiontec-GT784WN"] = new Expected { FriendlyName = "Actiontec GT784WN", Presentation = "http://192.168.0.1/", Services = new[] { (Ppp1, "http://192.168.0.1:5431/uuid:70f196f9-33f5-f533-f996-f170f1f9f50002/WANPPPConnection:1") } },
            ["broadcom-BRCM963xx-adsl"] = new Expected { FriendlyName = "Broadcom ADSL Router", Presentation = "http://127.0.0.1/", Services = new[] { (Ppp1, "http://127.0.0.1:5431/uuid:0000e068-20a0-00e0-20a0-48a802086048/WANPPPConnection:1") } },
            ["cisco-CGA4131COM"] = new Expected { FriendlyName = "CGA4131COM", Presentation = "http://10.1.10.1/", Services = new[] { (Ip1, "http://192.168.1.1:5000/upnp/control/WANIPConnection0") } },
            ["ddwrt-newmedia-net-generic-x86"] = new Expected
            {
                FriendlyName = "DD-WRT Router (192.168.1.1)",
                Services = new[]
                {
                    (Ip1, "http://192.168.1.1:5000/uuid:dead-beef-deadbeef0000/WANIPConnection:1"),
                    (Ppp1, "http://192.168.1.1:5000/uuid:dead-beef-deadbeef0000/WANPPPConnection:1"),
                },
            },
            // A libtorrent test template: its only connection service has the control URL http://%s:%d/wipconn.
            ["dlink-DIR-655"] = new Expected { ErrorId = "UpnpMalformedDescription" },
            ["dlink-DIR-890L"] = new Expected { FriendlyName = "Wireless Broadband Router", Presentation = "http://10.0.0.1/", Services = new[] { (Ip1, "http://10.0.0.1:49152/soap.cgi?service=WANIPConn1") } },
            // URLBase is the template http://%s:%d, so the description URL is the base.
            ["dlink-generic-igd2-variant-no-xmlns"] = new Expected { FriendlyName = "D-Link Router", IgdVersion = 2, Presentation = "http://192.168.0.1/", Services = new[] { (Ip2, "http://192.168.1.1:5000/WANIPConnection") } },
            ["dlink-generic-internet-access-router-no-xmlns"] = new Expected { FriendlyName = "D-Link Router", Presentation = "http://192.168.0.1/", Services = new[] { (Ip1, "http://192.168.1.1:5000/WANIPConnection") } },
            ["google-onhub-googlewifi"] = new Expected { FriendlyName = "OnHub", IgdVersion = 2, Presentation = "http://testwifi.here/", Services = new[] { (Ip2, "http://192.168.1.1:5000/ctl/IPConn") } },
            ["linksys-WAG200G"] = new Expected { FriendlyName = "LINKSYS WAG200G Gateway", Presentation = "http://192.168.1.1/index.htm", Services = new[] { (Ppp1, "http://192.168.1.1:49152/upnp/control/WANPPPConn1") } },
            ["miniupnpd-20180615-anonymized"] = new Expected { FriendlyName = string.Empty, Presentation = "http://192.168.0.1/", Services = new[] { (Ip1, "http://192.168.1.1:5000/ctl/IPConn") } },
            ["netgear-GC108PP-switch-igd-without-services"] = new Expected { ErrorId = "UpnpNoConnectionService" },
            ["netgear-R7500v2-nighthawk-x4"] = new Expected { FriendlyName = "R7500v2 (Gateway)", Presentation = "http://www.routerlogin.net/", Services = new[] { (Ip1, "http://192.168.0.1:5555/ctl/IPConn") } },
            ["pannaway-RG-210-trimmed-no-wanconnectiondevice"] = new Expected { ErrorId = "UpnpNoConnectionService" },
            ["pfsense-2.5.0-miniupnpd-2.2.1"] = new Expected { FriendlyName = "FreeBSD router", Presentation = "https://192.168.1.1/", Services = new[] { (Ip1, "http://192.168.1.1:5000/ctl/IPConn") } },
        };

        public static IEnumerable<object[]> Files() => CorpusFiles.In("upnp-desc");

        [Theory]
        [MemberData(nameof(Files))]
        public void EverySampleGivesItsGatewaysOrATypedError(string file)
        {
            var path = CorpusFiles.PathOf("upnp-desc", file);
            if (path == null)
            {
                return;
            }

            if (file.EndsWith(".values.txt", StringComparison.Ordinal))
            {
                AssertSidecar(path);
                return;
            }

            byte[] body;
            string name;
            if (file.EndsWith(".xml", StringComparison.Ordinal))
            {
                body = File.ReadAllBytes(path);
                name = file.Substring(0, file.Length - 4);
            }
            else if (file.EndsWith(".http", StringComparison.Ordinal))
            {
                body = HttpBody(File.ReadAllBytes(path));
                name = file.Substring(0, file.Length - 5);
            }
            else
            {
                throw new Xunit.Sdk.XunitException("Unknown kind of corpus file " + file + ": teach DescriptionCorpusTests to read it.");
            }

            Assert.True(Samples.TryGetValue(name, out var expected), "No expected values for corpus sample " + name + ": add them to DescriptionCorpusTests.");
            if (expected!.ErrorId != null)
            {
                var e = Assert.ThrowsAny<UpnpException>(() => GatewayBuilder.Build(DeviceDescriptionParser.Parse(body), ReadFrom, Local));
                Assert.Equal(expected.ErrorId, e.ErrorId);
                Assert.False(string.IsNullOrEmpty(e.RecommendedAction));
                return;
            }

            var gateways = GatewayBuilder.Build(DeviceDescriptionParser.Parse(body), ReadFrom, Local);

            Assert.Equal(expected.Services.Length, gateways.Count);
            for (var i = 0; i < gateways.Count; i++)
            {
                Assert.Equal(expected.Services[i].ServiceType, gateways[i].ServiceType);
                Assert.Equal(new Uri(expected.Services[i].ControlUrl), gateways[i].ControlUrl);
                Assert.Equal(expected.FriendlyName, gateways[i].FriendlyName);
                Assert.Equal(expected.IgdVersion, gateways[i].IgdVersion);
                Assert.Equal(expected.Presentation == null ? null : new Uri(expected.Presentation), gateways[i].PresentationUrl);
                Assert.Equal(ReadFrom, gateways[i].DescriptionUrl);
                Assert.Equal(Local, gateways[i].LocalAddress);
            }
        }

        [Fact]
        public void EveryExpectedSampleIsInTheCorpus()
        {
            CorpusFiles.AssertPresent("upnp-desc", Samples.Keys.Select(n => n + ".xml"));
        }

        /// <summary>A miniupnpc expected-values file: its "first:" block names the connection service miniupnpc picks.</summary>
        private static void AssertSidecar(string path)
        {
            var xmlPath = path.Substring(0, path.Length - ".values.txt".Length) + ".xml";
            var values = ReadBlock(File.ReadAllLines(path), "first:");
            Assert.True(values.ContainsKey("servicetype") && values.ContainsKey("controlurl"), "sidecar without a first: block: " + path);

            var description = DeviceDescriptionParser.Parse(File.ReadAllBytes(xmlPath));
            var first = GatewayBuilder.Build(description, ReadFrom, Local)[0];

            Assert.Equal(values["servicetype"], first.ServiceType);
            Assert.Equal(values["controlurl"], first.ControlUrl!.PathAndQuery);
        }

        private static Dictionary<string, string> ReadBlock(string[] lines, string header)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            var inBlock = false;
            foreach (var line in lines)
            {
                if (line.Trim().Length == 0)
                {
                    inBlock = false;
                }
                else if (line.Trim() == header)
                {
                    inBlock = true;
                }
                else if (inBlock && line.Contains('='))
                {
                    var eq = line.IndexOf('=');
                    result[line.Substring(0, eq).Trim()] = line.Substring(eq + 1).Trim();
                }
            }

            return result;
        }

        /// <summary>The body of a stored HTTP response, after checking that it is a 200 answer.</summary>
        private static byte[] HttpBody(byte[] raw)
        {
            var text = Encoding.Latin1.GetString(raw);
            Assert.Matches(@"^HTTP/1\.[01] 200 ", text);
            var crlf = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var lf = text.IndexOf("\n\n", StringComparison.Ordinal);
            var start = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf + 2;
            Assert.True(start > 2, "no end of headers");
            return raw.Skip(start).ToArray();
        }
    }
}
