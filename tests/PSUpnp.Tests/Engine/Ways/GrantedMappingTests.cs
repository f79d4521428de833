using System;
using System.Collections.Generic;
using System.Net;
using PSUpnp.Engine;
using PSUpnp.Engine.Ways;
using PSUpnp.Igd;
using Xunit;

namespace PSUpnp.Tests.Engine.Ways
{
    /// <summary>What PCP and NAT-PMP share once the router answered a MAP: the mapping as granted, the change, the warnings.</summary>
    public sealed class GrantedMappingTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

        private static PreparedPortMapping Prepared(PortMappingRequest request, PortMappingMethod method = PortMappingMethod.Pcp) =>
            UpnpEngine.PrepareAddition(request, WayGateways.Without(PortMappingMethod.Pcp, PortMappingMethod.NatPmp), method);

        [Fact]
        public void TheMappingSaysTheWayTheLifetimeGrantedAndWhenItRunsOut()
        {
            var warnings = new List<string>();
            var result = GrantedMapping.Result(Prepared(new PortMappingRequest { ExternalPort = 8080 }), 8080, TimeSpan.FromHours(1), Now, false, "00112233445566778899aabb", warnings, NullTraceSink.Instance);

            Assert.Equal(PortMappingChange.Created, result.Change);
            Assert.Equal(PortMappingMethod.Pcp, result.Mapping.Method);
            Assert.Equal("00112233445566778899aabb", result.Mapping.PcpNonce);
            Assert.Equal(TimeSpan.FromHours(1), result.Mapping.LeaseDuration);
            Assert.Equal(Now.AddHours(1), result.Mapping.ExpiresAt);
            Assert.Contains(warnings, w => w.Contains("lease of 01:00:00 instead of 02:00:00"));
        }

        [Fact]
        public void ARenewalAcrossARouterRestartIsAReCreationWithTheVanishedWarning()
        {
            var warnings = new List<string>();
            var result = GrantedMapping.Result(Prepared(new PortMappingRequest { ExternalPort = 8080, IsRenewal = true }), 8080, TimeSpan.FromHours(2), Now, true, null, warnings, NullTraceSink.Instance);

            Assert.Equal(PortMappingChange.Created, result.Change);
            Assert.Contains("no longer on the router", Assert.Single(warnings));
        }

        [Fact]
        public void ARenewalOfARouterThatKeptItsEpochIsAQuietRenewal()
        {
            var warnings = new List<string>();
            var result = GrantedMapping.Result(Prepared(new PortMappingRequest { ExternalPort = 8080, IsRenewal = true }), 8080, TimeSpan.FromHours(2), Now, false, null, warnings, NullTraceSink.Instance);

            Assert.Equal(PortMappingChange.Renewed, result.Change);
            Assert.Empty(warnings);
        }

        [Fact]
        public void AnotherExternalPortThanAskedForIsSaidInAWarning()
        {
            var warnings = new List<string>();
            var result = GrantedMapping.Result(Prepared(new PortMappingRequest { ExternalPort = 8080 }), 40123, TimeSpan.FromHours(2), Now, false, null, warnings, NullTraceSink.Instance);

            Assert.Equal(40123, result.Mapping.ExternalPort);
            Assert.Contains("external port 40123 instead of 8080", Assert.Single(warnings));
        }

        [Fact]
        public void APermanentLeaseIsAskedAsAWeekWithAWarning()
        {
            var warnings = new List<string>();
            Assert.Equal(GrantedMapping.Longest, GrantedMapping.Asked(Prepared(new PortMappingRequest { ExternalPort = 8080, LeaseDuration = TimeSpan.Zero }), warnings));
            Assert.Contains("no permanent mappings", Assert.Single(warnings));
        }

        [Theory]
        [InlineData("192.168.1.20", null, "InternalClient")]
        [InlineData(null, "203.0.113.5", "RemoteHost")]
        public void AnotherInternalClientOrARemoteHostIsRefusedBeforeAnythingIsSent(string? client, string? remote, string target)
        {
            var request = new PortMappingRequest
            {
                ExternalPort = 8080,
                InternalClient = client == null ? null : IPAddress.Parse(client),
                RemoteHost = remote == null ? null : IPAddress.Parse(remote),
            };

            var error = Assert.Throws<UpnpException>(() => GrantedMapping.Check(Prepared(request, PortMappingMethod.NatPmp)));

            Assert.Equal("UpnpInvalidArgument", error.ErrorId);
            Assert.Equal(target, error.Target);
        }
    }
}
