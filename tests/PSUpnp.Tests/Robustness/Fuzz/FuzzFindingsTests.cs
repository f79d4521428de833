using System;
using System.Globalization;
using System.Linq;
using System.Text;
using PSUpnp.Description;
using PSUpnp.Soap;
using Xunit;

namespace PSUpnp.Tests.Fuzz
{
    /// <summary>Inputs the fuzz tests once found to escape as another exception, kept so that each stays fixed.</summary>
    [Trait("Category", "Fuzz")]
    public sealed class FuzzFindingsTests
    {
        private static readonly Uri ControlUrl = new Uri("http://192.168.1.1:5000/ctl/IPConn");

        // System.Xml throws ArgumentOutOfRangeException on a surrogate pair in the XML declaration's version
        // (PSUPNP_FUZZ_SEED=3, SOAP response input 279450).
        private const string SurrogateInDeclaration = "3c3f786d6c092076657273696f6e3d22312e30f09f9880223f3e";

        [Fact]
        public void ASurrogatePairInTheXmlDeclarationIsAMalformedAnswerToEveryXmlParser()
        {
            var input = Hex(SurrogateInDeclaration);

            Assert.Equal("UpnpMalformedResponse", Assert.ThrowsAny<UpnpException>(() => SoapControl.Interpret(200, "OK", input, "GetExternalIPAddress", ControlUrl)).ErrorId);
            Assert.Equal("UpnpMalformedResponse", Assert.ThrowsAny<UpnpException>(() => PortMappingListParser.Parse(Encoding.UTF8.GetString(input), "GetListOfPortMappings", ControlUrl)).ErrorId);
            Assert.Contains(Assert.ThrowsAny<UpnpException>(() => DeviceDescriptionParser.Parse(input)).Entry, new[] { UpnpErrors.MalformedDescription, UpnpErrors.DescriptionDtdProhibited });
        }

        private static byte[] Hex(string hex) =>
            Enumerable.Range(0, hex.Length / 2).Select(i => byte.Parse(hex.AsSpan(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
    }
}
