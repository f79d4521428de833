using System;
using System.Collections.Generic;
using System.IO;
using PSUpnp.Ssdp;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Ssdp
{
    /// <summary>Every SSDP datagram of ../shared/corpus/ssdp through the parser, against the values each one carries.</summary>
    public class SsdpCorpusTests
    {
        private sealed class Expected
        {
            public Expected(SsdpMessageKind kind, string target, string? location, string? usn, int? maxAge, string? server, bool gateway)
            {
                Kind = kind;
                Target = target;
                Location = location;
                Usn = usn;
                MaxAge = maxAge;
                Server = server;
                Gateway = gateway;
            }

            public SsdpMessageKind Kind { get; }
            public string Target { get; }
            public string? Location { get; }
            public string? Usn { get; }
            public int? MaxAge { get; }
            public string? Server { get; }
            public bool Gateway { get; }
        }

        private const string Igd1 = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";
        private const string Igd2 = "urn:schemas-upnp-org:device:InternetGatewayDevice:2";
        private const string CommonIfc = "urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1";

        // Values read off each sample by hand; a new corpus file without an entry here fails the theory.
        private static readonly Dictionary<string, Expected> Samples = new Dictionary<string, Expected>(StringComparer.Ordinal)
        {
            ["brcm400-ddwrt-notify-alive.txt"] = new Expected(SsdpMessageKind.Notify, "upnp:rootdevice", "http://192.168.1.1:5431/dyndev/uuid:000c-29ea-247500c00068", "uuid:000c-29ea-247500c00068::upnp:rootdevice", 180, "LINUX/2.4 UPnP/1.0 BRCM400/1.0", false),
            ["dlink-DIR-890L-msearch-response-WANCommonIFC.txt"] = new Expected(SsdpMessageKind.SearchResponse, CommonIfc, "http://10.0.0.1:49152/InternetGatewayDevice.xml", "uuid:00000000-0000-0000-0000-000000000000::" + CommonIfc, 1800, "Linux, UPnP/1.0, DIR-890L Ver 1.20", false),
            ["google-onhub-msearch-response.txt"] = new Expected(SsdpMessageKind.SearchResponse, Igd2, "http://192.168.86.1:5000/rootDesc.xml", "uuid:a9708184-a6c0-413a-bbac-11bcf7e30ece::" + Igd2, 120, "Linux/5.4.0-1034-gcp UPnP/1.1 MiniUPnPd/1.9", true),
            ["ipv6-linklocal-location-msearch-response.txt"] = new Expected(SsdpMessageKind.SearchResponse, CommonIfc, "http://[fe80::2]/RootDevice.xml", "uuid:...::WANCommonInterfaceConfig:1", 1900, "UPnP/1.0 UPnP/1.0 UPnP-Device-Host/1.0", false),
            ["libupnp-1.6.22-redsonic-IGD-msearch-response.txt"] = new Expected(SsdpMessageKind.SearchResponse, Igd1, "http://10.1.10.1:49152/IGDdevicedesc_brlan0.xml", "uuid:00000000-0000-0000-0000-000000000000::" + Igd1, 1800, "Linux/3.14.28-Prod_17.2, UPnP/1.0, Portable SDK for UPnP devices/1.6.22", true),
            ["logitech-harmony-no-terminating-crlf.txt"] = new Expected(SsdpMessageKind.SearchResponse, "urn:myharmony-com:device:harmony:1", "http://192.168.107.148:8088/description", "uuid:...::urn:myharmony-com:device:harmony:1", 1800, "Ubuntu/10.04 UPnP/1.1 Harmony/16.3", false),
            ["pfsense-2.5.0-msearch-response.txt"] = new Expected(SsdpMessageKind.SearchResponse, Igd1, "http://192.168.1.1:2189/rootDesc.xml", "uuid:bee7052b-49e8-3597-b545-55a1e38ac11::" + Igd1, 120, "FreeBSD/12.2-STABLE UPnP/1.1 MiniUPnPd/2.2.1", true),
            ["sagemcom-FAST3890V3-msearch-response.txt"] = new Expected(SsdpMessageKind.SearchResponse, Igd1, "http://192.168.0.1:49153/69692b70/gatedesc0b.xml", "uuid:75802409-bccb-40e7-8e6c-fa095ecce13e::" + Igd1, 1800, string.Empty, true),
            ["thomson-speedtouch-510-msearch-response.txt"] = new Expected(SsdpMessageKind.SearchResponse, "urn:schemas-upnp-org:service:WANPPPConnection:1", "http://10.0.0.138/IGD.xml", "uuid:UPnP-SpeedTouch510::urn:schemas-upnp-org:service:WANPPPConnection:1", 1800, "SpeedTouch 510 4.0.0.9.0 UPnP/1.0 (DG233B00011961)", true),
            ["windows-upnp-device-host-WANCommonIFC-msearch-response.txt"] = new Expected(SsdpMessageKind.SearchResponse, CommonIfc, "http://192.168.1.1/RootDevice.xml", "uuid:...::WANCommonInterfaceConfig:1", 1900, "UPnP/1.0 UPnP/1.0 UPnP-Device-Host/1.0", false),
        };

        public static IEnumerable<object[]> Files() => CorpusFiles.In("ssdp");

        [Theory]
        [MemberData(nameof(Files))]
        public void EverySampleParsesToTheValuesItCarries(string file)
        {
            var path = CorpusFiles.PathOf("ssdp", file);
            if (path == null)
            {
                return;
            }

            Assert.True(Samples.TryGetValue(file, out var expected), "No expected values for corpus sample " + file + ": add them to SsdpCorpusTests.");

            var m = SsdpParser.Parse(File.ReadAllBytes(path));

            Assert.Equal(expected!.Kind, m.Kind);
            Assert.Equal(expected.Target, m.Target);
            Assert.Equal(expected.Location, m.Location?.AbsoluteUri);
            Assert.Equal(expected.Usn, m.Usn);
            Assert.Equal(expected.MaxAge, (int?)m.MaxAge?.TotalSeconds);
            Assert.Equal(expected.Server, m.Server);
            Assert.Equal(expected.Gateway, SearchTarget.IsGateway(m.Target));
        }

        [Fact]
        public void EveryExpectedSampleIsInTheCorpus()
        {
            CorpusFiles.AssertPresent("ssdp", Samples.Keys);
        }
    }
}
