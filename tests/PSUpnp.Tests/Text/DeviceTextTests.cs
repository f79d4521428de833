using PSUpnp.Text;
using Xunit;

namespace PSUpnp.Tests.Text
{
    public class DeviceTextTests
    {
        [Theory]
        [InlineData("HTTP/1.1 200 OK", "HTTP/1.1 200 OK")]
        [InlineData("bad\u001b[2Jline\u0007", "bad?[2Jline?")]
        [InlineData("del\u007f and c1\u0085", "del? and c1?")]
        [InlineData("not utf-8 \uFFFD", "not utf-8 ?")]
        [InlineData("Fritz!Box Wohnzimmer \u00e4\u00f6\u00fc", "Fritz!Box Wohnzimmer \u00e4\u00f6\u00fc")]
        public void ControlCharactersAndUndecodableBytesAreShownAsQuestionMarks(string sent, string shown) =>
            Assert.Equal(shown, DeviceText.Printable(sent));

        [Fact]
        public void ALongLineIsCutToEightyCharactersAndSaysSo()
        {
            var shown = DeviceText.Printable(new string('x', 5000));

            Assert.Equal(new string('x', 80) + "...", shown);
        }
    }
}
