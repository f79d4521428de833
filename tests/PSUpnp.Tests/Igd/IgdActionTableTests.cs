using System;
using System.Linq;
using PSUpnp.Igd;
using PSUpnp.Net;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>The IGD action table: each action's arguments in order and whether its request may go again.</summary>
    public sealed class IgdActionTableTests
    {
        [Theory]
        [InlineData("GetExternalIPAddress", nameof(HttpResend.Overlapping))]
        [InlineData("GetStatusInfo", nameof(HttpResend.Overlapping))]
        [InlineData("GetSpecificPortMappingEntry", nameof(HttpResend.Overlapping))]
        [InlineData("GetGenericPortMappingEntry", nameof(HttpResend.Overlapping))]
        [InlineData("GetListOfPortMappings", nameof(HttpResend.Overlapping))]
        [InlineData("AddPortMapping", nameof(HttpResend.AfterClosing))]
        [InlineData("DeletePortMapping", nameof(HttpResend.AfterClosing))]
        public void AQueryGoesAgainBesideItsCopiesAnAddOnlyAfterACutConnectionADeleteAfterSilence(string action, string resend) =>
            Assert.Equal(Enum.Parse<HttpResend>(resend), Assert.Single(IgdAction.All, a => a.Name == action).Resend);

        [Fact]
        public void EachActionIsInTheTableOnce() =>
            Assert.Equal(IgdAction.All.Count, IgdAction.All.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count());

        [Fact]
        public void ArgumentsAreNamedInTheOrderTheServiceDefines()
        {
            var list = IgdAction.List(1, 65535, PortMappingProtocol.UDP, 1000);
            Assert.Equal(new[] { "NewStartPort", "NewEndPort", "NewProtocol", "NewManage", "NewNumberOfPorts" }, list.Select(a => a.Key).ToArray());
            Assert.Equal(new[] { "1", "65535", "UDP", "1", "1000" }, list.Select(a => a.Value).ToArray());
            Assert.Equal(new[] { "NewRemoteHost", "NewExternalPort", "NewProtocol" }, IgdAction.Key(null, 80, PortMappingProtocol.TCP).Select(a => a.Key).ToArray());
        }

        [Fact]
        public void AWrongNumberOfValuesIsRefusedAndNamesTheAction()
        {
            var ex = Assert.Throws<ArgumentException>(() => IgdAction.DeletePortMapping.With("", "80"));
            Assert.Contains("DeletePortMapping takes 3 arguments, not 2", ex.Message, StringComparison.Ordinal);
        }
    }
}
