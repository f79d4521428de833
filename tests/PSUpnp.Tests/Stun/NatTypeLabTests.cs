using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Lab;
using PSUpnp.Stun;
using PSUpnp.Tests.Lab;
using PSUpnp.Tests.Reliability;
using Xunit;
using Xunit.Abstractions;
using LabBehavior = PSUpnp.Lab.NatBehavior;

namespace PSUpnp.Tests.Stun
{
    /// <summary>
    /// Behaviour discovery against the lab's coturn through the lab router in each NAT mode, checked against the
    /// expected classification and against coturn's own turnutils_natdiscovery run from the same namespace.
    /// </summary>
    [Trait("Category", "Lab")]
    [Collection(LabCollection.Name)]
    public sealed class NatTypeLabTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

        private readonly LabFixture _lab;
        private readonly ITestOutputHelper _output;

        public NatTypeLabTests(LabFixture lab, ITestOutputHelper output)
        {
            _lab = lab;
            _output = output;
        }

        public static IEnumerable<object[]> Modes()
        {
            yield return new object[] { NatMode.Open, NatType.OpenInternet };
            yield return new object[] { NatMode.FullCone, NatType.FullCone };
            yield return new object[] { NatMode.AddressRestricted, NatType.RestrictedCone };
            yield return new object[] { NatMode.PortRestricted, NatType.PortRestrictedCone };
            yield return new object[] { NatMode.Symmetric, NatType.Symmetric };
            yield return new object[] { NatMode.UdpBlocked, NatType.UdpBlocked };
        }

        [Theory]
        [MemberData(nameof(Modes))]
        public async Task ClassifiesEachLabNatModeExactlyAndAgreesWithTurnutilsNatdiscovery(NatMode mode, NatType expected)
        {
            using var bound = new CancellationTokenSource(Bound);
            await _lab.Controller.SetNatModeAsync(mode, bound.Token);
            try
            {
                var ours = await NatBehaviorDiscovery.RunAsync(Options(mode), bound.Token);
                var peer = await _lab.Controller.RunNatDiscoveryAsync(_lab.Environment.ClientAddressFor(mode), _lab.Environment.WanAddress1, bound.Token);

                Assert.True(expected == ours.NatType, "expected " + expected + ", got " + ours.NatType + " (" + ours.Reason + ")");
                Assert.Equal(NatModes.ExpectedMapping(mode), ToLab(ours.MappingBehavior, ours.NatType));
                Assert.Equal(NatModes.ExpectedFiltering(mode), ToLab(ours.FilteringBehavior, ours.NatType));
                Assert.True(peer.Mapping == ToLab(ours.MappingBehavior, ours.NatType), "turnutils_natdiscovery says " + peer + ":\n" + peer.Output);
                Assert.True(peer.Filtering == ToLab(ours.FilteringBehavior, ours.NatType), "turnutils_natdiscovery says " + peer + ":\n" + peer.Output);
                Assert.Equal(peer.NoNat, ours.IsDirect == true);
                if (expected == NatType.UdpBlocked)
                {
                    Assert.Null(ours.PublicEndpoint);
                    return;
                }

                Assert.Equal(_lab.Environment.StunServer, ours.ServerEndpoint);
                Assert.Equal(new IPEndPoint(_lab.Environment.WanAddress2, _lab.Environment.StunAltPort), ours.OtherAddress);
                Assert.Equal(peer.ReflexiveAddress!.Address, ours.PublicEndpoint!.Address);
                Assert.Equal(mode == NatMode.Open ? _lab.Environment.LanOpenAddress : _lab.Environment.RouterWanAddress, ours.PublicEndpoint.Address);

                // The lab router hairpins nothing (LAB-NOTES); on the open address there is no NAT to hairpin.
                Assert.Equal(mode == NatMode.Open ? (bool?)null : false, ours.Hairpinning);
            }
            finally
            {
                await _lab.Controller.SetNatModeAsync(_lab.Environment.DefaultNatMode, CancellationToken.None);
            }
        }

        /// <summary>
        /// Under 30% loss each way, in every mode, 20 runs at once (each on its own sockets and NAT mappings): each ends in
        /// the mode's verdict or says plainly that the answers were too few to decide; never in another verdict.
        /// </summary>
        [Theory]
        [MemberData(nameof(Modes))]
        [Trait("Category", "Reliability")]
        public async Task UnderThirtyPercentLossTheVerdictStaysOrSaysTheAnswersWereTooFew(NatMode mode, NatType expected)
        {
            const int Runs = 20;
            using var bound = new CancellationTokenSource(Bound);
            await _lab.Controller.SetNatModeAsync(mode, bound.Token);
            await _lab.Controller.SetPacketLossAsync(30, bound.Token);
            PSUpnp.Stun.NatDiscoveryResult[] results;
            try
            {
                // Each mode's runs get local ports of their own, outside the ephemeral range: the router's conntrack
                // keeps an earlier mode's NAT entries for a while (the lab has no tool to flush them), and a socket
                // that landed on such a port would be judged by the earlier mode's filter.
                results = await Task.WhenAll(Enumerable.Range(0, Runs).Select(i =>
                {
                    var options = Options(mode);
                    options.LocalPort = 21000 + ((int)mode * 100) + i;
                    return NatBehaviorDiscovery.RunAsync(options, bound.Token);
                }));
            }
            finally
            {
                await _lab.Controller.SetPacketLossAsync(0, CancellationToken.None);
                await _lab.Controller.SetNatModeAsync(_lab.Environment.DefaultNatMode, CancellationToken.None);
            }

            Assert.Equal(Runs, results.Length);
            var same = results.Count(r => r.NatType == expected);
            var tooFew = results.Count(r => r.NatType == NatType.Unknown && r.Reason != null && r.Reason.Contains("too few to decide", StringComparison.Ordinal));
            Figures.Report(_output, "loss 30% NAT type " + NatModes.ToLabName(mode), Runs + " runs: " + same + " gave " + expected + ", " + tooFew + " said the answers were too few to decide, " + (Runs - same - tooFew) + " other");
            Assert.All(results, r => Assert.True(
                r.NatType == expected || (r.NatType == NatType.Unknown && r.Reason!.Contains("too few to decide", StringComparison.Ordinal)),
                "expected " + expected + " or too few to decide, got " + r.NatType + " (" + r.Reason + ")"));
        }

        private NatDiscoveryOptions Options(NatMode mode) => new NatDiscoveryOptions
        {
            Servers = new List<string> { _lab.Environment.StunServer.ToString() },
            LocalAddress = _lab.Environment.ClientAddressFor(mode),
        };

        // Our behaviour enums and the lab's share the RFC 5780 names; NotTested and Unknown have no counterpart.
        private static LabBehavior ToLab(Enum behavior, NatType type)
        {
            if (type == NatType.UdpBlocked)
            {
                return LabBehavior.NoAnswer;
            }

            if (!Enum.TryParse<LabBehavior>(behavior.ToString(), out var lab) || lab == LabBehavior.NoAnswer)
            {
                throw new Xunit.Sdk.XunitException("behaviour was " + behavior);
            }

            return lab;
        }
    }
}
