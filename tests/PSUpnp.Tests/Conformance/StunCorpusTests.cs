using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PSUpnp.Stun;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Stun
{
    /// <summary>Drives the decoder over every STUN sample of ../shared/corpus/stun and checks the values its sidecar gives.</summary>
    public class StunCorpusTests
    {
        public static IEnumerable<object[]> Samples => CorpusFiles.In("stun", ".bin", ".hex");

        [Theory]
        [MemberData(nameof(Samples))]
        public void DecodesEverySampleToTheValuesItsSidecarGives(string name)
        {
            var path = CorpusFiles.PathOf("stun", name);
            if (path == null)
            {
                return;
            }

            var bytes = name.EndsWith(".hex", StringComparison.Ordinal)
                ? StunMessageTests.Hex(File.ReadAllText(path).Trim())
                : File.ReadAllBytes(path);
            var sidecarPath = Path.ChangeExtension(path, ".json");
            Assert.True(File.Exists(sidecarPath), "every STUN sample has a .json sidecar: " + sidecarPath);
            using var sidecar = JsonDocument.Parse(File.ReadAllText(sidecarPath));
            var root = sidecar.RootElement;

            var message = StunMessage.Decode(bytes);

            var decoded = root.GetProperty("decoded_by_collector");
            Assert.Equal(decoded.GetProperty("total_bytes").GetInt32(), bytes.Length);
            Assert.Equal(ParseHex16(decoded.GetProperty("method").GetString()!), message.Method);
            Assert.Equal(ClassOf(decoded.GetProperty("class").GetString()!), message.Class);
            Assert.Equal(decoded.GetProperty("magic_cookie_present").GetBoolean(), message.HasMagicCookie);
            Assert.Equal(decoded.GetProperty("transaction_id").GetString(), message.TransactionId.ToString());

            var expected = decoded.GetProperty("attributes").EnumerateArray().ToList();
            Assert.Equal(expected.Count, message.Attributes.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                AssertAttribute(expected[i], message.Attributes[i], message);
            }

            if (root.TryGetProperty("asserted_by_source", out var asserted))
            {
                AssertSourceValues(asserted, message);
            }

            if (root.TryGetProperty("expected", out var rfc))
            {
                AssertRfc5769Values(rfc, message);
            }
        }

        [Fact]
        public void DecodesEveryBrowserMessageOfThePionCapture()
        {
            var path = CorpusFiles.PathOf("stun", CorpusFiles.In("stun", ".csv").Single()[0].ToString()!);
            if (path == null)
            {
                return;
            }

            var rows = File.ReadAllLines(path)
                .Where(l => l.Length > 0 && !l.StartsWith("#", StringComparison.Ordinal))
                .Skip(1)
                .Select(l => l.Split(','))
                .ToList();
            Assert.Equal(14, rows.Count);

            foreach (var row in rows)
            {
                var bytes = Convert.FromBase64String(row[1]);
                // The capture's own check that the bytes are the ones recorded (Go's crc64 with the ISO table).
                Assert.Equal(ulong.Parse(row[2], CultureInfo.InvariantCulture), Crc64Iso(bytes));

                var message = StunMessage.Decode(bytes);
                Assert.Equal(StunMessageClass.Request, message.Class);
                Assert.Equal(StunMethod.Binding, message.Method);
                Assert.True(message.HasMagicCookie);
                var firefox = row[3] == "Firefox";
                // Firefox 50/51 sent a bare request with FINGERPRINT; Chrome 55 sent none, sometimes with ORIGIN (0x802F).
                Assert.Equal(firefox, message.HasFingerprint);
                Assert.All(message.Attributes, a => Assert.Contains(a.Type, new ushort[] { StunAttributeType.Fingerprint, 0x802F }));
            }
        }

        private static void AssertAttribute(JsonElement expected, StunAttribute actual, StunMessage message)
        {
            var name = expected.GetProperty("name").GetString();
            Assert.Equal(ParseHex16(expected.GetProperty("type").GetString()!), actual.Type);
            Assert.Equal(expected.GetProperty("length").GetInt32(), actual.Length);
            if (expected.TryGetProperty("value_hex", out var hex))
            {
                Assert.Equal(hex.GetString(), StunMessageTests.ToHex(actual.GetValue()));
            }

            if (!expected.TryGetProperty("value", out var value))
            {
                return;
            }

            switch (actual.Type)
            {
                case StunAttributeType.XorMappedAddress:
                    Assert.Equal(EndPointOf(value), message.XorMappedAddress);
                    break;
                case StunAttributeType.MappedAddress:
                    Assert.Equal(EndPointOf(value), message.MappedAddress);
                    break;
                case StunAttributeType.ResponseOrigin:
                    Assert.Equal(EndPointOf(value), message.ResponseOrigin);
                    break;
                case StunAttributeType.OtherAddress:
                    Assert.Equal(EndPointOf(value), message.OtherAddress);
                    break;
                case StunAttributeType.Software:
                    Assert.Equal(value.GetString(), message.Software);
                    break;
                case StunAttributeType.Fingerprint:
                    Assert.True(expected.GetProperty("fingerprint_ok").GetBoolean());
                    Assert.True(message.HasFingerprint);
                    Assert.Equal(value.GetString(), "0x" + StunMessageTests.ToHex(actual.GetValue()));
                    break;
                default:
                    Assert.Equal(value.GetString(), Encoding.UTF8.GetString(actual.GetValue()));
                    Assert.NotNull(name);
                    break;
            }
        }

        private static void AssertSourceValues(JsonElement asserted, StunMessage message)
        {
            foreach (var property in asserted.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "transaction_id_ascii":
                        Assert.Equal(property.Value.GetString(), Encoding.ASCII.GetString(message.TransactionId.ToArray()));
                        break;
                    case "transaction_id":
                        Assert.Equal(property.Value.GetString(), message.TransactionId.ToString());
                        break;
                    case "mapped_ip":
                        Assert.Equal(IPAddress.Parse(property.Value.GetString()!), message.ReflexiveAddress!.Address);
                        break;
                    case "mapped_port":
                        Assert.Equal(property.Value.GetInt32(), message.ReflexiveAddress!.Port);
                        break;
                    case "XOR-MAPPED-ADDRESS":
                        Assert.Equal(PairOf(property.Value), message.XorMappedAddress);
                        break;
                    case "MAPPED-ADDRESS":
                        Assert.Equal(PairOf(property.Value), message.MappedAddress);
                        break;
                    case "RESPONSE-ORIGIN":
                        Assert.Equal(PairOf(property.Value), message.ResponseOrigin);
                        break;
                    case "OTHER-ADDRESS":
                        Assert.Equal(PairOf(property.Value), message.OtherAddress);
                        Assert.Equal(message.OtherAddress, message.AlternateAddress);
                        break;
                    case "SOFTWARE":
                        Assert.Equal(property.Value.GetString(), message.Software);
                        break;
                    case "attributes":
                        Assert.Empty(message.Attributes);
                        break;
                    default:
                        Assert.Fail("The sidecar asserts " + property.Name + ", which this test does not check yet.");
                        break;
                }
            }
        }

        private static void AssertRfc5769Values(JsonElement rfc, StunMessage message)
        {
            if (rfc.TryGetProperty("software", out var software))
            {
                Assert.Equal(software.GetString(), message.Software);
            }

            if (rfc.TryGetProperty("xor_mapped_address", out var xor))
            {
                Assert.Equal(EndPointOf(xor), message.XorMappedAddress);
            }

            if (rfc.TryGetProperty("fingerprint_valid", out var fingerprint))
            {
                Assert.Equal(fingerprint.GetBoolean(), message.HasFingerprint);
            }

            if (rfc.TryGetProperty("fingerprint_present", out var present))
            {
                Assert.Equal(present.GetBoolean(), message.HasFingerprint);
            }

            Assert.True(rfc.GetProperty("message_integrity_valid").GetBoolean());
            byte[] key;
            if (rfc.TryGetProperty("short_term_password", out var password))
            {
                key = Encoding.UTF8.GetBytes(password.GetString()!);
            }
            else
            {
                using var md5 = MD5.Create();
                key = md5.ComputeHash(Encoding.UTF8.GetBytes(
                    rfc.GetProperty("username").GetString() + ":" + rfc.GetProperty("realm").GetString() + ":" + rfc.GetProperty("password_after_saslprep").GetString()));
            }

            Assert.True(message.VerifyMessageIntegrity(key));
            key[0] ^= 1;
            Assert.False(message.VerifyMessageIntegrity(key));
        }

        private static IPEndPoint EndPointOf(JsonElement value) =>
            new IPEndPoint(IPAddress.Parse(value.GetProperty("ip").GetString()!), value.GetProperty("port").GetInt32());

        private static IPEndPoint PairOf(JsonElement value) =>
            new IPEndPoint(IPAddress.Parse(value[0].GetString()!), value[1].GetInt32());

        private static ushort ParseHex16(string hex) => ushort.Parse(hex.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

        private static StunMessageClass ClassOf(string name) => name switch
        {
            "request" => StunMessageClass.Request,
            "indication" => StunMessageClass.Indication,
            "success_response" => StunMessageClass.SuccessResponse,
            "error_response" => StunMessageClass.ErrorResponse,
            _ => throw new ArgumentException("unknown class " + name),
        };

        private static ulong Crc64Iso(byte[] data)
        {
            var table = new ulong[256];
            for (ulong i = 0; i < 256; i++)
            {
                var c = i;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xD800000000000000UL ^ (c >> 1) : c >> 1;
                }

                table[i] = c;
            }

            var crc = ulong.MaxValue;
            foreach (var b in data)
            {
                crc = table[(byte)crc ^ b] ^ (crc >> 8);
            }

            return ~crc;
        }
    }
}
