using System;
using System.Linq;
using System.Net;
using PSUpnp.Diagnostics;
using Xunit;

namespace PSUpnp.Tests.Diagnostics
{
    /// <summary>Issue 12, Test-UpnpPortMapping: from what was found to the checks and the verdict (the first thing to fix), without I/O.</summary>
    public sealed class PortMappingJudgeTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

        private static readonly UpnpGateway Router = new UpnpGateway(
            "Router", "M", "X", "uuid:r", 2, "urn:schemas-upnp-org:service:WANIPConnection:2",
            new Uri("http://192.168.1.1:5000/ctl/IPConn"), new Uri("http://192.168.1.1:5000/rootDesc.xml"), null, IPAddress.Parse("192.168.1.10"));

        /// <summary>Everything in order: a public address the router holds, STUN agreeing, the mapping to this host, a listener.</summary>
        private static PortMappingFindings Healthy() => new PortMappingFindings
        {
            ExternalPort = 8080,
            Protocol = PortMappingProtocol.TCP,
            Now = Now,
            Gateway = Router,
            External = new UpnpExternalAddress(Router, IPAddress.Parse("203.0.113.7"), "Connected", TimeSpan.FromHours(1), "ERROR_NONE")
                .WithHolder(true, "an ICMP echo was answered by the router"),
            StunAddress = IPAddress.Parse("203.0.113.7"),
            StunServer = "stun.example.net:3478",
            Mapping = Mapping("192.168.1.10", 8080, enabled: true, expiresAt: Now.AddHours(1)),
            Listener = ListenerState.Listening,
            Hairpin = false,
            HairpinDetail = "refused",
        };

        private static UpnpPortMapping Mapping(string client, int internalPort, bool enabled, DateTimeOffset? expiresAt) => new UpnpPortMapping(
            Router, null, 8080, PortMappingProtocol.TCP, internalPort, IPAddress.Parse(client), enabled, "web",
            expiresAt == null ? TimeSpan.Zero : expiresAt.Value - Now, expiresAt);

        [Fact]
        public void AHealthyMappingPassesEveryCheckAndSaysOnlyAConnectionFromOutsideProvesIt()
        {
            var (checks, verdict) = PortMappingJudge.Judge(Healthy());

            Assert.Equal(11, checks.Count);
            Assert.DoesNotContain(checks, c => c.Result == PortMappingCheckResult.Failed);
            Assert.Equal(PortMappingCheckResult.Information, checks.Single(c => c.Name == "Hairpinning").Result);
            Assert.StartsWith("No fault found: the router forwards TCP 8080 from 203.0.113.7 to this host's port 8080", verdict, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("gateway", "Gateway", "No gateway answered UPnP, PCP or NAT-PMP: turn UPnP (IGD), PCP or NAT-PMP on")]
        [InlineData("gone", "Gateway", "The gateway does not answer: turn UPnP (IGD), PCP or NAT-PMP on")]
        [InlineData("no-address", "ExternalAddress", "The router has no external address")]
        [InlineData("cgnat-address", "ExternalAddress", "The router is behind the provider's carrier-grade NAT")]
        [InlineData("private-address", "ExternalAddress", "The router is behind another router: put the provider's box in bridge mode")]
        [InlineData("not-held", "AddressOwner", "Another NAT lies beyond the router, so the mapping is not reachable")]
        [InlineData("stun-differs", "Stun", "Another NAT lies beyond the router (STUN sees 198.51.100.9, the router reports 203.0.113.7)")]
        [InlineData("no-mapping", "MappingExists", "The router has no TCP 8080 mapping: add it with Add-UpnpPortMapping 8080 -Protocol TCP")]
        [InlineData("disabled", "MappingEnabled", "The mapping is disabled")]
        [InlineData("other-host", "InternalClient", "The mapping leads to 192.168.1.20, not to this host")]
        [InlineData("other-port", "InternalPort", "The mapping leads to port 8081, not 8080")]
        [InlineData("expired", "Lease", "The lease has run out")]
        [InlineData("no-listener", "Listener", "Nothing listens on TCP port 8080 on this host")]
        public void TheVerdictNamesTheFirstFailure(string fault, string check, string verdictStart)
        {
            var f = Healthy();
            switch (fault)
            {
                case "gateway": f.Gateway = null; f.GatewayError = "UpnpGatewayNotFound: none"; f.External = null; f.Mapping = null; f.Listener = ListenerState.NotChecked; break;
                case "gone": f.GatewayGone = true; f.GatewayError = "UpnpConnectionRefused: refused"; f.External = null; f.Mapping = null; break;
                case "no-address": f.External = new UpnpExternalAddress(Router, null, "Disconnected", TimeSpan.Zero, string.Empty); break;
                case "cgnat-address": f.External = new UpnpExternalAddress(Router, IPAddress.Parse("100.64.0.2"), "Connected", TimeSpan.Zero, string.Empty); break;
                case "private-address": f.External = new UpnpExternalAddress(Router, IPAddress.Parse("192.168.0.2"), "Connected", TimeSpan.Zero, string.Empty); break;
                case "not-held": f.External = f.External!.WithHolder(false, "the echo expired at the gateway"); break;
                case "stun-differs": f.StunAddress = IPAddress.Parse("198.51.100.9"); break;
                case "no-mapping": f.Mapping = null; break;
                case "disabled": f.Mapping = Mapping("192.168.1.10", 8080, enabled: false, expiresAt: Now.AddHours(1)); break;
                case "other-host": f.Mapping = Mapping("192.168.1.20", 8080, enabled: true, expiresAt: Now.AddHours(1)); break;
                case "other-port": f.Mapping = Mapping("192.168.1.10", 8081, enabled: true, expiresAt: Now.AddHours(1)); f.InternalPort = 8080; break;
                case "expired": f.Mapping = Mapping("192.168.1.10", 8080, enabled: true, expiresAt: Now.AddSeconds(-1)); break;
                case "no-listener": f.Listener = ListenerState.NotListening; break;
            }

            var (checks, verdict) = PortMappingJudge.Judge(f);

            Assert.Equal(check, checks.First(c => c.Result == PortMappingCheckResult.Failed).Name);
            Assert.StartsWith(verdictStart, verdict, StringComparison.Ordinal);
        }

        [Fact]
        public void ANatBeyondTheRouterComesBeforeAMissingMappingSinceNoMappingOnThisRouterCanHelp()
        {
            var f = Healthy();
            f.External = f.External!.WithHolder(false, "the echo expired at the gateway");
            f.Mapping = null;

            var (_, verdict) = PortMappingJudge.Judge(f);

            Assert.StartsWith("Another NAT lies beyond the router", verdict, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(true, "A UDP socket is bound")]
        [InlineData(false, "No UDP socket")]
        public void ForUdpTheListenerCheckSaysItCannotTell(bool bound, string start)
        {
            var f = Healthy();
            f.Protocol = PortMappingProtocol.UDP;
            f.Listener = bound ? ListenerState.UdpBound : ListenerState.UdpNotBound;

            var (checks, verdict) = PortMappingJudge.Judge(f);

            var listener = checks.Single(c => c.Name == "Listener");
            Assert.Equal(PortMappingCheckResult.Inconclusive, listener.Result);
            Assert.StartsWith(start, listener.Detail, StringComparison.Ordinal);
            Assert.Contains("cannot be told for UDP", listener.Detail, StringComparison.Ordinal);
            Assert.Contains("could not tell: Listener", verdict, StringComparison.Ordinal);
        }

        [Fact]
        public void AnUncheckableAddressOwnerIsInconclusiveNeverAFailure()
        {
            var f = Healthy();
            f.External = f.External!.WithHolder(null, "ICMP not permitted");

            var (checks, _) = PortMappingJudge.Judge(f);

            Assert.Equal(PortMappingCheckResult.Inconclusive, checks.Single(c => c.Name == "AddressOwner").Result);
        }
    }
}
