using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using PSUpnp.Igd;
using PSUpnp.Net;
using PSUpnp.Soap;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Soap
{
    /// <summary>
    /// Drives the SOAP parser, and the engine's readers behind it, over every real answer in ../shared/corpus/soap.
    /// Each sample has an expectation below; a sample without one fails, so a new sample cannot go untested.
    /// </summary>
    public sealed class SoapCorpusTests
    {
        private const string Category = "soap";
        private static readonly Uri ControlUrl = new Uri("http://192.168.1.1:5000/ctl/IPConn");
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        private static readonly UpnpGateway Gateway = new UpnpGateway(
            "r", "m", "n", "uuid:x", 1, "urn:schemas-upnp-org:service:WANIPConnection:1", ControlUrl, new Uri("http://192.168.1.1:5000/rootDesc.xml"), null, IPAddress.Parse("192.168.1.10"));

        private abstract class Expect
        {
        }

        private sealed class ExternalAddress : Expect
        {
            public ExternalAddress(string? address) => Address = address;
            public string? Address { get; }
        }

        private sealed class StatusInfo : Expect
        {
            public StatusInfo(string status, int uptime)
            {
                Status = status;
                Uptime = uptime;
            }

            public string Status { get; }
            public int Uptime { get; }
        }

        private sealed class Mapping : Expect
        {
            public Mapping(bool specific, string? remoteHost, int externalPort, PortMappingProtocol protocol, int internalPort, string client, string description)
            {
                IsSpecific = specific;
                RemoteHost = remoteHost;
                ExternalPort = externalPort;
                Protocol = protocol;
                InternalPort = internalPort;
                Client = client;
                Description = description;
            }

            public bool IsSpecific { get; }
            public string? RemoteHost { get; }
            public int ExternalPort { get; }
            public PortMappingProtocol Protocol { get; }
            public int InternalPort { get; }
            public string Client { get; }
            public string Description { get; }
        }

        private sealed class NoArguments : Expect
        {
        }

        private sealed class Fault : Expect
        {
            public Fault(int code) => Code = code;
            public int Code { get; }
        }

        private sealed class ListDocument : Expect
        {
        }

        private static readonly Dictionary<string, Expect> Expectations = new Dictionary<string, Expect>(StringComparer.Ordinal)
        {
            ["actiontec-GT784WN-GetExternalIPAddress-WANPPP"] = new ExternalAddress("11.222.33.111"),
            ["actiontec-GT784WN-GetGenericPortMappingEntry-WANPPP"] = new Mapping(false, null, 3658, PortMappingProtocol.UDP, 3658, "192.168.0.10", "192.168.0.10:3658 to 3658 (UDP)"),
            ["actiontec-GT784WN-fault-713-no-xml-decl"] = new Fault(713),
            ["dlink-DIR-890L-AddPortMappingResponse"] = new NoArguments(),
            ["dlink-DIR-890L-GetExternalIPAddress-empty-value"] = new ExternalAddress(null),
            ["dlink-DIR-890L-GetExternalIPAddress-ipv6-value"] = new ExternalAddress("2a02:2e02:30c:db00:4a8d:36ff:feb0:5202"),
            ["dlink-DIR-890L-GetExternalIPAddress-lowercase-tag"] = new ExternalAddress("11.222.3.44"),
            ["dlink-DIR-890L-GetExternalIPAddress-non-encapsulated"] = new ExternalAddress("11.222.3.44"),
            ["dlink-DIR-890L-GetExternalIPAddress"] = new ExternalAddress("11.222.3.44"),
            ["dlink-DIR-890L-GetGenericPortMappingEntry"] = new Mapping(false, null, 9308, PortMappingProtocol.UDP, 9308, "11.2.3.44", "11.2.3.44:9308 to 9308 (UDP)"),
            ["dlink-DIR-890L-GetSpecificPortMappingEntry"] = new Mapping(true, null, 9308, PortMappingProtocol.UDP, 9308, "11.2.3.55", "11.2.3.55:9308 to 9308 (UDP)"),
            ["dlink-DIR-890L-fault-713-tabs"] = new Fault(713),
            ["dlink-DIR-890L-fault-714-NoSuchEntryInArray"] = new Fault(714),
            ["libupnp-1.6.22-redsonic-GetExternalIPAddress"] = new ExternalAddress("11.22.33.44"),
            ["miniupnpc-testportlistingparse-PortMappingList"] = new ListDocument(),
            ["miniupnpc-testreplyparse-GetExternalIPAddress"] = new ExternalAddress("1.2.3.4"),
            ["miniupnpc-testreplyparse-GetSpecificPortMappingEntryResp"] = new Mapping(true, null, 12345, PortMappingProtocol.TCP, 12345, "192.168.10.110", "libminiupnpc"),
            ["miniupnpd-router-fault-718-single-line"] = new Fault(718),
            ["tailscale-AddPortMappingResponse-selfclosing"] = new NoArguments(),
            ["tailscale-GetExternalIPAddressResponse"] = new ExternalAddress("123.123.123.123"),
            ["tailscale-GetStatusInfoResponse"] = new StatusInfo("Connected", 9999),
            ["tailscale-fault-402-InvalidArgs-SOAP-prefix"] = new Fault(402),
            ["tailscale-fault-725-OnlyPermanentLeasesSupported"] = new Fault(725),
            ["tailscale-legacy-dslforum-AddPortMappingResponse"] = new NoArguments(),
            ["tailscale-legacy-dslforum-GetExternalIPAddressResponse"] = new ExternalAddress("123.123.123.123"),
            ["tailscale-legacy-dslforum-GetStatusInfoResponse"] = new StatusInfo("Connected", 9999),
        };

        public static IEnumerable<object[]> Samples => CorpusFiles.In(Category, ".xml", ".http");

        public static IEnumerable<object[]> Sidecars => CorpusFiles.In(Category, ".json", ".namevalue.txt");

        [Theory]
        [MemberData(nameof(Samples))]
        public void EverySampleEndsInItsExpectedValuesOrItsTypedError(string file)
        {
            var path = CorpusFiles.PathOf(Category, file);
            if (path == null)
            {
                return;
            }

            var name = BaseName(file);
            Assert.True(Expectations.TryGetValue(name, out var expect), "No expectation for corpus sample " + file + ": add one.");

            if (expect is ListDocument)
            {
                AssertListMatchesSidecar(path);
                return;
            }

            int status;
            byte[] body;
            string reason;
            if (file.EndsWith(".http", StringComparison.Ordinal))
            {
                var response = HttpResponseReader.Parse(File.ReadAllBytes(path), ControlUrl, HttpLimits.Control);
                (status, reason, body) = (response.StatusCode, response.ReasonPhrase, response.Body);
            }
            else
            {
                // Devices send faults with HTTP 500, which is what the parser is given for a body-only sample.
                (status, reason, body) = expect is Fault ? (500, "Internal Server Error", File.ReadAllBytes(path)) : (200, "OK", File.ReadAllBytes(path));
            }

            if (expect is Fault fault)
            {
                var ex = Assert.Throws<UpnpFaultException>(() => SoapControl.Interpret(status, reason, body, "Action", ControlUrl));
                Assert.Equal(500, status);
                Assert.Equal(fault.Code, ex.ErrorCode);
                Assert.Equal("UpnpError" + fault.Code, ex.ErrorId);
                Assert.False(string.IsNullOrEmpty(ex.ErrorDescription));
                return;
            }

            Assert.Equal(200, status);
            var parsed = SoapControl.Interpret(status, reason, body, "Action", ControlUrl);
            AssertNameValueSidecar(path, parsed);
            switch (expect)
            {
                case ExternalAddress e:
                    var address = ExternalAddressReader.Read(parsed, null, Gateway, NullTraceSink.Instance);
                    Assert.Equal(e.Address == null ? null : IPAddress.Parse(e.Address), address.ExternalAddress);
                    break;
                case StatusInfo s:
                    var info = ExternalAddressReader.Read(parsed, parsed, Gateway, NullTraceSink.Instance);
                    Assert.Equal(s.Status, info.ConnectionStatus);
                    Assert.Equal(TimeSpan.FromSeconds(s.Uptime), info.Uptime);
                    Assert.Equal("ERROR_NONE", info.LastConnectionError);
                    Assert.Null(info.ExternalAddress);
                    break;
                case Mapping m:
                    var mapping = m.IsSpecific
                        ? PortMappingReader.Specific(parsed, Gateway, Now, null, m.ExternalPort, m.Protocol, "GetSpecificPortMappingEntry")
                        : PortMappingReader.Entry(parsed, Gateway, Now, PortMappingReader.Names.Action, "GetGenericPortMappingEntry");
                    Assert.Equal(m.RemoteHost == null ? null : IPAddress.Parse(m.RemoteHost), mapping.RemoteHost);
                    Assert.Equal(m.ExternalPort, mapping.ExternalPort);
                    Assert.Equal(m.Protocol, mapping.Protocol);
                    Assert.Equal(m.InternalPort, mapping.InternalPort);
                    Assert.Equal(IPAddress.Parse(m.Client), mapping.InternalClient);
                    Assert.True(mapping.Enabled);
                    Assert.Equal(m.Description, mapping.Description);
                    Assert.True(mapping.IsPermanent);
                    Assert.Null(mapping.ExpiresAt);
                    break;
                case NoArguments _:
                    Assert.Empty(parsed.Arguments);
                    Assert.Equal("AddPortMappingResponse", parsed.ElementName);
                    break;
                default:
                    Assert.Fail("Unhandled expectation " + expect.GetType().Name);
                    break;
            }
        }

        [Theory]
        [MemberData(nameof(Sidecars))]
        public void EverySidecarBelongsToASampleThatIsTested(string file)
        {
            var path = CorpusFiles.PathOf(Category, file);
            if (path == null)
            {
                return;
            }

            var name = BaseName(file);
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, name + ".xml")), file + " has no .xml sample");
            Assert.True(Expectations.ContainsKey(name), file + " belongs to a sample without an expectation");
        }

        private static string BaseName(string file)
        {
            foreach (var ext in new[] { ".namevalue.txt", ".json", ".http", ".xml" })
            {
                if (file.EndsWith(ext, StringComparison.Ordinal))
                {
                    return file.Substring(0, file.Length - ext.Length);
                }
            }

            return file;
        }

        // miniupnpc's expected name=value pairs, checked against the parser's arguments.
        private static void AssertNameValueSidecar(string samplePath, SoapResponse parsed)
        {
            var sidecar = Path.Combine(Path.GetDirectoryName(samplePath)!, BaseName(Path.GetFileName(samplePath)) + ".namevalue.txt");
            if (!File.Exists(sidecar))
            {
                return;
            }

            var pairs = File.ReadAllLines(sidecar).Where(l => l.Contains('=')).ToList();
            Assert.NotEmpty(pairs);
            foreach (var line in pairs)
            {
                var eq = line.IndexOf('=');
                Assert.Equal(line.Substring(eq + 1), parsed.Get(line.Substring(0, eq)));
            }
        }

        private static void AssertListMatchesSidecar(string path)
        {
            var entries = PortMappingListParser.Parse(File.ReadAllText(path), "GetListOfPortMappings", ControlUrl);
            using var json = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(path, ".json")));
            var expected = json.RootElement.GetProperty("entries_in_document_order").EnumerateArray().ToList();
            Assert.Equal(3, expected.Count);
            Assert.Equal(expected.Count, entries.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                var e = expected[i];
                var m = PortMappingReader.Entry(entries[i], Gateway, Now, PortMappingReader.Names.ListEntry, "GetListOfPortMappings");
                var remote = e.GetProperty("NewRemoteHost").GetString();
                Assert.Equal(string.IsNullOrEmpty(remote) ? null : IPAddress.Parse(remote), m.RemoteHost);
                Assert.Equal(e.GetProperty("NewExternalPort").GetInt32(), m.ExternalPort);
                Assert.Equal(e.GetProperty("NewProtocol").GetString(), m.Protocol.ToString());
                Assert.Equal(e.GetProperty("NewInternalPort").GetInt32(), m.InternalPort);
                Assert.Equal(IPAddress.Parse(e.GetProperty("NewInternalClient").GetString()!), m.InternalClient);
                Assert.Equal(e.GetProperty("NewEnabled").GetInt32() == 1, m.Enabled);
                Assert.Equal(e.GetProperty("NewDescription").GetString(), m.Description);
                var lease = e.GetProperty("NewLeaseTime").GetInt32();
                Assert.Equal(TimeSpan.FromSeconds(lease), m.LeaseDuration);
                Assert.Equal(lease == 0 ? (DateTimeOffset?)null : Now.AddSeconds(lease), m.ExpiresAt);
            }
        }
    }
}
