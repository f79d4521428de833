using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using PSUpnp.Igd;
using PSUpnp.Lab;
using PSUpnp.Net;
using PSUpnp.Tests.Lab;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Reliability
{
    /// <summary>
    /// A mapping description carrying XML markup or control characters, sent through the engine to the real miniupnpd:
    /// either the router stores exactly the escaped text that decodes to the original, with every other argument intact,
    /// or the engine refuses it before anything is sent. The stored value is read back raw, by a GetSpecificPortMappingEntry
    /// built by hand and a regular expression over the bytes: neither the engine's envelope nor its parser is involved.
    /// miniupnpd 2.3.1 keeps 63 bytes of escaped text (past that it shows whatever memory follows): the descriptions here
    /// stay within that, and a longer one must come back with a warning.
    /// </summary>
    [Collection(LabCollection.Name)]
    [Trait("Category", "Lab")]
    [Trait("Category", "Reliability")]
    public sealed class DescriptionLabTests
    {
        private const int Lease = 1234;
        private readonly LabFixture _lab;

        public DescriptionLabTests(LabFixture lab)
        {
            _lab = lab;
        }

        public static IEnumerable<object[]> Descriptions()
        {
            yield return new object[] { 18141, "<a>&\"' x" };
            yield return new object[] { 18142, "</NewPortMappingDescription><NewLeaseDuration>0" };
            yield return new object[] { 18143, "]]><![CDATA[x" };
            yield return new object[] { 18144, "tab\there\r\nCRLF and LF\n" };
            yield return new object[] { 18145, "é ü € 😀 中文" };
            yield return new object[] { 18146, "&amp; &#13; &lt; already escaped" };
        }

        [Theory]
        [MemberData(nameof(Descriptions))]
        public async Task ADescriptionWithMarkupIsStoredByTheRealRouterAsTextThatDecodesToItByteExact(int port, string description)
        {
            var env = _lab.Environment;
            var client = new IgdClient(LabGateway.Miniupnpd(env));
            try
            {
                var result = await client.AddPortMappingAsync(new PortMappingRequest { ExternalPort = port, Description = description, LeaseDuration = TimeSpan.FromSeconds(Lease) }, default);
                Assert.Equal(description, result.Mapping.Description);

                var stored = await RawStoredAsync(env, port);
                Assert.Equal(description, Decode(stored["NewPortMappingDescription"]));
                Assert.Equal(Encoding.UTF8.GetBytes(description), Encoding.UTF8.GetBytes(Decode(stored["NewPortMappingDescription"])));

                // The envelope was not altered: every other argument is what was asked.
                Assert.Equal(port.ToString(CultureInfo.InvariantCulture), stored["NewInternalPort"]);
                Assert.Equal(env.LanAddress.ToString(), stored["NewInternalClient"]);
                Assert.Equal("1", stored["NewEnabled"]);
                Assert.InRange(int.Parse(stored["NewLeaseDuration"], CultureInfo.InvariantCulture), Lease - 10, Lease);
            }
            finally
            {
                await client.DeletePortMappingAsync(null, port, PortMappingProtocol.TCP, default).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        [Fact]
        public async Task ADescriptionTheRouterDoesNotKeepAsSentComesBackWithAWarningAndTheRestIntact()
        {
            const int port = 18148;
            var env = _lab.Environment;
            var client = new IgdClient(LabGateway.Miniupnpd(env));
            var description = "<long>" + new string('x', 70);
            try
            {
                var result = await client.AddPortMappingAsync(new PortMappingRequest { ExternalPort = port, Description = description, LeaseDuration = TimeSpan.FromSeconds(Lease) }, default);

                // miniupnpd follows the 64 bytes it keeps with stray memory: valid text (then the engine names the difference)
                // or not (then the read-back answer is unusable, and the engine says so).
                var warning = Assert.Single(result.Warnings);
                Assert.True(warning.Contains("not as sent", StringComparison.Ordinal) || warning.Contains("reported as requested", StringComparison.Ordinal), warning);
                var stored = await RawStoredAsync(env, port);
                Assert.Equal(env.LanAddress.ToString(), stored["NewInternalClient"]);
                Assert.InRange(int.Parse(stored["NewLeaseDuration"], CultureInfo.InvariantCulture), Lease - 10, Lease);
            }
            finally
            {
                await client.DeletePortMappingAsync(null, port, PortMappingProtocol.TCP, default).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        // Built from code points here: a test runner's serialisation would turn a lone surrogate into U+FFFD.
        [Theory]
        [InlineData("bell", 0x07)]
        [InlineData("nul", 0x00)]
        [InlineData("escape", 0x1b)]
        [InlineData("lone surrogate", 0xd800)]
        [InlineData("not a character", 0xfffe)]
        public async Task ADescriptionWithACharacterXmlCannotCarryIsRefusedAndTheRouterGetsNothing(string what, int codePoint)
        {
            const int port = 18149;
            var description = what + " " + (char)codePoint + " here";
            var env = _lab.Environment;
            var client = new IgdClient(LabGateway.Miniupnpd(env));
            try
            {
                var e = await Assert.ThrowsAnyAsync<UpnpException>(() => client.AddPortMappingAsync(new PortMappingRequest { ExternalPort = port, Description = description }, default));

                Assert.Equal("UpnpInvalidXmlCharacter", e.ErrorId);
                Assert.Null(await client.GetSpecificPortMappingAsync(null, port, PortMappingProtocol.TCP, default));
            }
            finally
            {
                await client.DeletePortMappingAsync(null, port, PortMappingProtocol.TCP, default).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        // GetSpecificPortMappingEntry by hand; the out arguments as the raw text between their tags.
        private static async Task<Dictionary<string, string>> RawStoredAsync(LabEnvironment env, int port)
        {
            var gateway = LabGateway.Miniupnpd(env);
            var body = Encoding.UTF8.GetBytes(
                "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>"
                + "<u:GetSpecificPortMappingEntry xmlns:u=\"" + gateway.ServiceType + "\"><NewRemoteHost></NewRemoteHost><NewExternalPort>" + port.ToString(CultureInfo.InvariantCulture)
                + "</NewExternalPort><NewProtocol>TCP</NewProtocol></u:GetSpecificPortMappingEntry></s:Body></s:Envelope>");
            var headers = new[]
            {
                new KeyValuePair<string, string>("Content-Type", "text/xml; charset=\"utf-8\""),
                new KeyValuePair<string, string>("SOAPAction", "\"" + gateway.ServiceType + "#GetSpecificPortMappingEntry\""),
            };
            var response = await HttpExchange.SendAsync("POST", gateway.ControlUrl!, headers, body, HttpLimits.Control, CancellationToken.None);
            Assert.Equal(200, response.StatusCode);
            var raw = Encoding.UTF8.GetString(response.Body);
            var values = new Dictionary<string, string>();
            foreach (Match m in Regex.Matches(raw, "<(New[A-Za-z]+)>(.*?)</\\1>", RegexOptions.Singleline))
            {
                values[m.Groups[1].Value] = m.Groups[2].Value;
            }

            return values;
        }

        private static string Decode(string escaped) => XElement.Parse("<x>" + escaped + "</x>", LoadOptions.PreserveWhitespace).Value;
    }
}
