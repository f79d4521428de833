using System.Linq;
using System;
using PSUpnp.Text;
using Xunit;

namespace PSUpnp.Tests.Soap
{
    /// <summary>Issue 2: a plain explanation of each UPnP error code the issue lists, carried by one typed exception.</summary>
    public sealed class FaultCodeTests
    {
        private static readonly int[] Listed = { 402, 501, 601, 606, 713, 714, 715, 716, 718, 724, 725, 726, 727, 728, 729 };
        private static readonly Uri ControlUrl = new Uri("http://192.168.1.1:5000/ctl/IPConn");

        [Fact]
        public void EveryListedCodeHasItsOwnExplanation()
        {
            var unknown = UpnpFaultCodes.Explain(99999);
            var explanations = Listed.Select(UpnpFaultCodes.Explain).ToList();

            Assert.Equal(Listed.Length, explanations.Count);
            Assert.DoesNotContain(unknown, explanations);
            Assert.Equal(explanations.Count, explanations.Distinct(StringComparer.Ordinal).Count());
        }

        [Theory]
        [InlineData(402)]
        [InlineData(501)]
        [InlineData(601)]
        [InlineData(606)]
        [InlineData(713)]
        [InlineData(714)]
        [InlineData(715)]
        [InlineData(716)]
        [InlineData(718)]
        [InlineData(724)]
        [InlineData(725)]
        [InlineData(726)]
        [InlineData(727)]
        [InlineData(728)]
        [InlineData(729)]
        public void AFaultCarriesCodeDeviceTextActionAndExplanation(int code)
        {
            var fault = new UpnpFaultException(code, "Device says no", "AddPortMapping", ControlUrl);

            Assert.Equal(code, fault.ErrorCode);
            Assert.Equal("UpnpError" + code, fault.ErrorId);
            Assert.Equal("Device says no", fault.ErrorDescription);
            Assert.Equal("AddPortMapping", fault.ActionName);
            Assert.Equal(ControlUrl, fault.Target);
            Assert.Equal(UpnpFaultCodes.Explain(code), fault.Explanation);
            Assert.Contains(fault.Explanation, fault.Message, StringComparison.Ordinal);
            Assert.Contains("Device says no", fault.Message, StringComparison.Ordinal);
            Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), fault.Message, StringComparison.Ordinal);
            Assert.Equal(UpnpFaultCodes.CategoryOf(code), fault.Category);
        }

        [Fact]
        public void RemoteHostOnlySupportsWildcardSaysTheRouterCanOnlyOpenToEveryHost()
        {
            var fault = new UpnpFaultException(UpnpFaultCodes.RemoteHostOnlySupportsWildcard, "RemoteHostOnlySupportsWildcard", "AddPortMapping", ControlUrl);

            Assert.Contains("every remote host", fault.Message, StringComparison.Ordinal);
            Assert.Equal(UpnpErrorCategory.InvalidArgument, fault.Category);
            Assert.Contains("-RemoteHost", fault.RecommendedAction, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(718, UpnpErrorCategory.ResourceExists)]
        [InlineData(714, UpnpErrorCategory.ObjectNotFound)]
        [InlineData(606, UpnpErrorCategory.PermissionDenied)]
        [InlineData(728, UpnpErrorCategory.LimitsExceeded)]
        [InlineData(725, UpnpErrorCategory.InvalidArgument)]
        [InlineData(501, UpnpErrorCategory.ProtocolError)]
        public void EachCodeHasAFittingCategory(int code, UpnpErrorCategory category)
        {
            Assert.Equal(category, UpnpFaultCodes.CategoryOf(code));
        }
    }
}
