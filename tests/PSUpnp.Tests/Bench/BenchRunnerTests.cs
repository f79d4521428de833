using System;
using System.Linq;
using PSUpnp.Bench;
using PSUpnp.Bench.Runner;
using Xunit;

namespace PSUpnp.Tests.Bench
{
    /// <summary>The bench runner's pure parts, which need no lab: medians, upnpc's listing, listing agreement, verdicts.</summary>
    public sealed class BenchRunnerTests
    {
        // upnpc 2.2.4 -l against the lab's miniupnpd: header lines, two entries, the end-of-table line.
        private const string UpnpcList =
            "upnpc : miniupnpc library test client, version 2.2.4.\n" +
            " (c) 2005-2022 Thomas Bernard.\n" +
            "Found valid IGD : http://192.168.77.1:5000/ctl/IPConn\n" +
            "Local LAN ip address : 192.168.77.10\n" +
            "Connection Type : IP_Routed\n" +
            "ExternalIPAddress = 11.11.0.1\n" +
            " i protocol exPort->inAddr:inPort description remoteHost leaseTime\n" +
            " 0 TCP 41001->192.168.77.10:5555  'x' '' 7200\n" +
            " 1 UDP 41000->192.168.77.10:41000 'bench one' '' 3599\n" +
            "GetGenericPortMappingEntry() returned 713 (SpecifiedArrayIndexInvalid)\n";

        private const string DriverUdp =
            "{\"Protocol\":\"UDP\",\"ExternalPort\":41000,\"InternalClient\":\"192.168.77.10\",\"InternalPort\":41000,\"RemoteHost\":null,\"Enabled\":true," +
            "\"Description\":\"bench one\",\"LeaseDuration\":3600,\"IsPermanent\":false,\"ExpiresAt\":\"2026-11-21T03:11:57Z\",\"ControlUrl\":\"http://192.168.77.1:5000/ctl/IPConn\"}";

        private const string DriverTcp =
            "{\"Protocol\":\"TCP\",\"ExternalPort\":41001,\"InternalClient\":\"192.168.77.10\",\"InternalPort\":5555,\"RemoteHost\":null,\"Enabled\":true," +
            "\"Description\":\"x\",\"LeaseDuration\":7200,\"IsPermanent\":false,\"ExpiresAt\":\"2026-11-21T04:11:58Z\",\"ControlUrl\":\"http://192.168.77.1:5000/ctl/IPConn\"}";

        [Theory]
        [InlineData(new double[] { 3 }, 3)]
        [InlineData(new double[] { 5, 1, 3 }, 3)]
        [InlineData(new double[] { 4, 1, 3, 2 }, 2.5)]
        [InlineData(new double[] { 10, 1, 1, 1, 1000 }, 1)]
        public void MedianIsTheMiddleOfTheSortedValues(double[] values, double expected)
        {
            Assert.Equal(expected, Stats.Median(values));
        }

        [Fact]
        public void MedianOfNothingIsNaN()
        {
            Assert.True(double.IsNaN(Stats.Median(Array.Empty<double>())));
        }

        [Fact]
        public void UpnpcListingYieldsOnlyTheEntryLines()
        {
            var entries = Listing.ParseUpnpc(UpnpcList);

            Assert.Equal(2, entries.Count);
            Assert.Equal("TCP 41001->192.168.77.10:5555 'x' '' 7200", entries[0].ToString());
            Assert.Equal("UDP", entries[1].Protocol);
            Assert.Equal(41000, entries[1].ExternalPort);
            Assert.Equal("192.168.77.10", entries[1].InternalClient);
            Assert.Equal(41000, entries[1].InternalPort);
            Assert.Equal("bench one", entries[1].Description);
            Assert.Equal(string.Empty, entries[1].RemoteHost);
            Assert.Equal(3599, entries[1].LeaseSeconds);
        }

        [Fact]
        public void UpnpcListingWithARemoteHostKeepsIt()
        {
            var entries = Listing.ParseUpnpc(" 12 UDP  5000->192.168.77.20:5001  'with ''quotes' '11.11.0.2' 0\r\n");

            Assert.Single(entries);
            Assert.Equal("11.11.0.2", entries[0].RemoteHost);
            Assert.Equal("with ''quotes", entries[0].Description);
            Assert.Equal(0, entries[0].LeaseSeconds);
        }

        [Fact]
        public void DriverListingReadsTheCmdletPropertyNames()
        {
            var entries = Listing.ParseDriver(new[] { DriverTcp, DriverUdp });

            Assert.Equal(2, entries.Count);
            Assert.Equal("TCP 41001->192.168.77.10:5555 'x' '' 7200", entries[0].ToString());
            Assert.Equal("UDP 41000->192.168.77.10:41000 'bench one' '' 3600", entries[1].ToString());
        }

        [Fact]
        public void PermanentMappingListsAsLeaseZeroLikeUpnpc()
        {
            var permanent = DriverTcp.Replace("\"IsPermanent\":false", "\"IsPermanent\":true", StringComparison.Ordinal)
                .Replace("\"LeaseDuration\":7200", "\"LeaseDuration\":0", StringComparison.Ordinal);

            Assert.Equal(0, Listing.ParseDriver(new[] { permanent })[0].LeaseSeconds);
        }

        [Fact]
        public void ListingsAgreeInAnyOrderWithinTheLeaseTolerance()
        {
            // The driver lists UDP's 3600 s, upnpc a moment later 3599 s, and in the router's order.
            var differences = Listing.Compare(Listing.ParseDriver(new[] { DriverUdp, DriverTcp }), Listing.ParseUpnpc(UpnpcList), "upnpc -l", 2);

            Assert.Empty(differences);
        }

        [Fact]
        public void ListingsDisagreeOnADifferentField()
        {
            var ours = Listing.ParseDriver(new[] { DriverTcp.Replace("\"InternalPort\":5555", "\"InternalPort\":5556", StringComparison.Ordinal), DriverUdp });

            var differences = Listing.Compare(ours, Listing.ParseUpnpc(UpnpcList), "upnpc -l", 2);

            Assert.Single(differences);
            Assert.Contains("TCP 41001->192.168.77.10:5556", differences[0], StringComparison.Ordinal);
            Assert.Contains("upnpc -l TCP 41001->192.168.77.10:5555", differences[0], StringComparison.Ordinal);
        }

        [Fact]
        public void ListingsDisagreeBeyondTheLeaseTolerance()
        {
            var ours = Listing.ParseDriver(new[] { DriverTcp, DriverUdp.Replace("\"LeaseDuration\":3600", "\"LeaseDuration\":3000", StringComparison.Ordinal) });

            Assert.Single(Listing.Compare(ours, Listing.ParseUpnpc(UpnpcList), "upnpc -l", 2));
        }

        [Fact]
        public void AMissingEntryIsNamedOnBothSides()
        {
            var differences = Listing.Compare(Listing.ParseDriver(new[] { DriverTcp }), Listing.ParseUpnpc(UpnpcList), "upnpc -L", 2);

            Assert.Equal(2, differences.Count);
            Assert.Equal("the driver listed 1 mappings, upnpc -L 2", differences[0]);
            Assert.Equal("only upnpc -L listed UDP 41000->192.168.77.10:41000 'bench one' '' 3599", differences[1]);
        }

        [Fact]
        public void ADuplicateEntryIsADifference()
        {
            var differences = Listing.Compare(Listing.ParseDriver(new[] { DriverTcp, DriverUdp, DriverTcp }), Listing.ParseUpnpc(UpnpcList), "upnpc -l", 2);

            Assert.Equal(2, differences.Count);
            Assert.Equal("the driver listed TCP 41001 twice", differences[1]);
        }

        [Fact]
        public void DriverVerdictUsesTheLabsBehaviourNames()
        {
            var verdict = NatVerdict.FromDriver("{\"NatType\":\"PortRestrictedCone\",\"MappingBehavior\":\"EndpointIndependent\",\"FilteringBehavior\":\"AddressAndPortDependent\"}");

            Assert.Equal(NatVerdict.Expected(PSUpnp.Lab.NatMode.PortRestricted), verdict);
            Assert.NotEqual(NatVerdict.Expected(PSUpnp.Lab.NatMode.AddressRestricted), verdict);
        }

        [Fact]
        public void UdpBlockedIsNoAnswerForBothBehavioursAsTurnutilsSaysIt()
        {
            var verdict = NatVerdict.FromDriver("{\"NatType\":\"UdpBlocked\",\"MappingBehavior\":\"NotTested\",\"FilteringBehavior\":\"NotTested\"}");

            Assert.Equal(NatVerdict.Expected(PSUpnp.Lab.NatMode.UdpBlocked), verdict);
        }

        [Fact]
        public void AnUndecidedBehaviourMatchesNoLabMode()
        {
            var verdict = NatVerdict.FromDriver("{\"NatType\":\"Unknown\",\"MappingBehavior\":\"Unknown\",\"FilteringBehavior\":\"AddressAndPortDependent\"}");

            Assert.DoesNotContain(Enum.GetValues<PSUpnp.Lab.NatMode>(), mode => NatVerdict.Expected(mode).Equals(verdict));
        }

        [Fact]
        public void DriverVerdictWithoutTheBehavioursIsAFailureThatShowsTheLine()
        {
            var ex = Assert.Throws<BenchFailure>(() => NatVerdict.FromDriver("{\"NatType\":\"FullCone\"}"));

            Assert.Contains("MappingBehavior", ex.Message, StringComparison.Ordinal);
            Assert.Contains("FullCone", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void TargetIsMetAtOrBelowTheRatioAndTheNoteExplainsAMiss()
        {
            var scenario = new Scenario("add-delete", 0.5, "<= 0.5");
            var met = new ScenarioResult(scenario) { OursMs = 5, PeerMs = 10 };
            var missed = new ScenarioResult(scenario) { OursMs = 6, PeerMs = 10, FloorMs = 1, RouterFloorMs = 5.5 };

            Assert.True(met.TargetMet);
            Assert.Null(met.Note);
            Assert.False(missed.TargetMet);
            Assert.Equal(0.6, missed.Ratio!.Value, 6);
            Assert.Contains("budget", missed.Note, StringComparison.Ordinal);
        }

        [Fact]
        public void AScenarioOfWholeProcessesComparesTheProcessTimeAndHasNoTargetToMiss()
        {
            var scenario = new Scenario("renew-script", null, "none") { WholeProcess = true };
            var result = new ScenarioResult(scenario) { OursProcessMs = 990, PeerMs = 2080, BaselineMs = 780 };

            Assert.Equal(990.0 / 2080.0, result.Ratio!.Value, 6);
            Assert.Null(result.TargetMet);
            Assert.Null(result.Note);
        }

        [Fact]
        public void TheCmdletSessionsTimingLineReadsAsTheDriversBenchLine()
        {
            var cmdlet = Timing.Parse("{\"scenario\":\"list\",\"cold_ms\":35.98,\"median_ms\":8.76}");
            var driver = Timing.Parse("{\"scenario\":\"list\",\"cold_ms\":118,\"median_ms\":4.81,\"runs\":10,\"peak_rss_mb\":48.3}");

            Assert.Equal(("list", 35.98, 8.76, (double?)null), (cmdlet.Scenario, cmdlet.ColdMs, cmdlet.MedianMs, cmdlet.PeakRssMb));
            Assert.Equal(("list", 118.0, 4.81, (double?)48.3), (driver.Scenario, driver.ColdMs, driver.MedianMs, driver.PeakRssMb));
        }

        [Fact]
        public void RunnerOptionsRefuseAnUnknownScenario()
        {
            var ex = Assert.Throws<FormatException>(() => RunnerOptions.Parse(new[] { "--driver", "/d", "--only", "discover,list-1000" }));

            Assert.Contains("list-1000", ex.Message, StringComparison.Ordinal);
            Assert.Equal(Scenarios.Names.ToHashSet(), RunnerOptions.Parse(new[] { "--driver", "/d", "--only", string.Join(",", Scenarios.Names) }).Only);
        }
    }
}
