using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using PSUpnp.NatPmp;
using PSUpnp.Tests.Support;
using Xunit;
using static PSUpnp.Tests.Stun.StunMessageTests;

namespace PSUpnp.Tests.NatPmp
{
    /// <summary>
    /// Every NAT-PMP sample of ../shared/corpus/natpmp-pcp: our encoder writes its request byte for byte from the
    /// values its sidecar gives, and the parser reads its response to those values, or ends in the typed error the
    /// sample was collected for.
    /// </summary>
    public sealed class NatPmpCorpusTests
    {
        private const string Category = "natpmp-pcp";

        // The outcome of each sample whose source asserts an error, read off by hand.
        private static readonly Dictionary<string, string> Refused = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["gonatpmp-negative-opcode-0x88"] = "NatPmpMalformedResponse",
            ["gonatpmp-negative-result-17"] = "NatPmpUnknownResult",
            ["gonatpmp-negative-short-response"] = "NatPmpMalformedResponse",
            ["gonatpmp-negative-version-1"] = "NatPmpMalformedResponse",
        };

        public static IEnumerable<object[]> Samples => CorpusFiles.In(Category, ".json");

        [Fact]
        public void EverySampleWithAnExpectedErrorIsInTheCorpus() =>
            CorpusFiles.AssertPresent(Category, Refused.Keys.Select(k => k + ".json"));

        [Theory]
        [MemberData(nameof(Samples))]
        public void OurRequestIsTheSamplesByteForByteAndItsResponseReadsToTheSidecarsValues(string name)
        {
            var path = CorpusFiles.PathOf(Category, name);
            if (path == null)
            {
                return;
            }

            var stem = path.Substring(0, path.Length - ".json".Length);
            var baseName = Path.GetFileName(stem);
            using var sidecar = JsonDocument.Parse(File.ReadAllText(path));
            var root = sidecar.RootElement;
            var request = root.GetProperty("decoded_request_by_collector");
            var expectedRequest = File.ReadAllText(stem + ".request.hex").Trim();
            var response = Hex(File.ReadAllText(stem + ".response.hex").Trim());

            Assert.Equal(expectedRequest, ToHex(Encode(request)));
            Assert.Equal(root.GetProperty("decoded_response_by_collector").GetProperty("total_bytes").GetInt32(), response.Length);

            var outcome = Read(response, request.GetProperty("opcode").GetInt32());
            if (root.GetProperty("asserted_by_source").TryGetProperty("error", out _))
            {
                Assert.True(Refused.TryGetValue(baseName, out var errorId), baseName + " asserts an error that this test does not expect");
                Assert.Equal(errorId, Assert.IsType<NatPmpException>(outcome).ErrorId);
                return;
            }

            Assert.False(Refused.ContainsKey(baseName));
            var answer = Assert.IsType<NatPmpResponse>(outcome);
            AssertDecoded(root.GetProperty("decoded_response_by_collector"), answer);
            AssertAsserted(root.GetProperty("asserted_by_source"), answer);
        }

        private static byte[] Encode(JsonElement request)
        {
            var opcode = request.GetProperty("opcode").GetInt32();
            if (opcode == 0)
            {
                return NatPmpEncoder.ExternalAddressRequest();
            }

            var protocol = opcode == 1 ? PortMappingProtocol.UDP : PortMappingProtocol.TCP;
            var lifetime = request.GetProperty("requested_lifetime").GetUInt32();
            var internalPort = request.GetProperty("internal_port").GetInt32();
            return lifetime == 0
                ? NatPmpEncoder.DeleteRequest(protocol, internalPort)
                : NatPmpEncoder.MapRequest(protocol, internalPort, request.GetProperty("external_port").GetInt32(), lifetime);
        }

        /// <summary>What the client makes of the answer: the parsed response, or the error it ends in (a refusal is its result code's).</summary>
        private static object Read(byte[] response, int requestOpcode)
        {
            try
            {
                var answer = NatPmpResponse.Parse(response, 0, response.Length);
                Assert.Equal((NatPmpOpcode)requestOpcode, answer.RequestOpcode);
                return answer.ResultCode == NatPmpResultCode.Success ? answer : NatPmpResultCodes.Refusal(answer.ResultCode, "sample", null);
            }
            catch (NatPmpException e)
            {
                return e;
            }
        }

        private static void AssertDecoded(JsonElement decoded, NatPmpResponse answer)
        {
            Assert.Equal(decoded.GetProperty("opcode").GetInt32(), (int)answer.RequestOpcode + 128);
            Assert.Equal(decoded.GetProperty("result_code").GetInt32(), (int)answer.ResultCode);
            Assert.Equal(decoded.GetProperty("seconds_since_epoch").GetUInt32(), answer.Epoch);
            if (decoded.TryGetProperty("external_ip", out var ip))
            {
                Assert.Equal(IPAddress.Parse(ip.GetString()!), answer.ExternalAddress);
            }
            else
            {
                Assert.Equal(decoded.GetProperty("internal_port").GetInt32(), answer.InternalPort);
                Assert.Equal(decoded.GetProperty("external_port").GetInt32(), answer.ExternalPort);
                Assert.Equal(decoded.GetProperty("lifetime").GetUInt32(), answer.LifetimeSeconds);
            }
        }

        private static void AssertAsserted(JsonElement asserted, NatPmpResponse answer)
        {
            Assert.Equal(asserted.GetProperty("SecondsSinceStartOfEpoc").GetUInt32(), answer.Epoch);
            if (asserted.TryGetProperty("ExternalIPAddress", out var ip))
            {
                Assert.Equal(IPAddress.Parse(ip.GetString()!), answer.ExternalAddress);
                return;
            }

            Assert.Equal(asserted.GetProperty("InternalPort").GetInt32(), answer.InternalPort);
            Assert.Equal(asserted.GetProperty("MappedExternalPort").GetInt32(), answer.ExternalPort);
            Assert.Equal(asserted.GetProperty("PortMappingLifetimeInSeconds").GetUInt32(), answer.LifetimeSeconds);
        }
    }
}
