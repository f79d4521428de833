using System;
using System.Net;
using PSUpnp.Igd;
using Xunit;

namespace PSUpnp.Tests.Igd
{
    /// <summary>The decisions of an add or renewal (AddPlan), from what the router holds, without a router.</summary>
    public sealed class AddPlanTests
    {
        private static readonly IPAddress Us = IPAddress.Parse("192.168.1.10");

        private static readonly UpnpGateway Gateway = new UpnpGateway(
            "R", "M", "X", "uuid:r", 2, "urn:schemas-upnp-org:service:WANIPConnection:2",
            new Uri("http://192.168.1.1:5000/ctl/IPConn"), new Uri("http://192.168.1.1:5000/rootDesc.xml"), null, Us);

        // The request: external 8080 to this host's port 9000.
        private static readonly PortMappingTarget Target = PortMappingTarget.From(new PortMappingRequest { ExternalPort = 8080, InternalPort = 9000 }, Us);

        private static UpnpPortMapping? Held(string holder) => holder switch
        {
            "nothing" => null,
            "us" => Mapping(Us, 9000),
            "us on another port" => Mapping(Us, 9001),
            _ => Mapping(IPAddress.Parse("192.168.1.99"), 9000),
        };

        // AddStep is internal, and a public test method cannot take it: the cases name the step.
        private static AddStep Step(string name) => (AddStep)Enum.Parse(typeof(AddStep), name);

        private static UpnpPortMapping Mapping(IPAddress client, int internalPort) =>
            new UpnpPortMapping(Gateway, null, 8080, PortMappingProtocol.TCP, internalPort, client, true, "x", TimeSpan.Zero, null);

        [Theory]
        [InlineData("nothing", false, "Create")]
        [InlineData("nothing", true, "Create")]
        [InlineData("us", false, "Renew")]
        [InlineData("us", true, "Renew")]
        [InlineData("us on another port", false, "Conflict")]
        [InlineData("another client", false, "Conflict")]
        [InlineData("another client", true, "TakeOver")]
        public void WhatTheRouterHoldsBeforeTheAddDecidesTheStep(string holder, bool force, string expected) =>
            Assert.Equal(Step(expected), AddPlan.Before(Held(holder), Target, force));

        [Theory]
        [InlineData("nothing", false, false, "Refused")]
        [InlineData("nothing", true, true, "Refused")]
        [InlineData("us", true, false, "EarlierCopyApplied")]
        [InlineData("us", false, false, "Renew")]
        [InlineData("another client", true, false, "Conflict")]
        [InlineData("another client", true, true, "TakeOver")]
        [InlineData("another client", false, true, "TakeOver")]
        public void After718TheHolderLookedUpAgainDecidesTheStep(string holder, bool resent, bool force, string expected) =>
            Assert.Equal(Step(expected), AddPlan.AfterConflict(Held(holder), Target, force, resent));

        [Theory]
        [InlineData("Create", nameof(PortMappingChange.Created))]
        [InlineData("EarlierCopyApplied", nameof(PortMappingChange.Created))]
        [InlineData("Renew", nameof(PortMappingChange.Renewed))]
        [InlineData("TakeOver", nameof(PortMappingChange.Replaced))]
        public void TheResultSaysWhatTheStepDidToTheTable(string step, string expected) =>
            Assert.Equal(Enum.Parse<PortMappingChange>(expected), AddPlan.Change(Step(step)));
    }
}
