using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Surface
{
    /// <summary>
    /// How the cmdlets are built, read from the cmdlet assembly's metadata: the parameters the issue names, pipeline
    /// binding that PowerShell resolves one way only, validation, per-record work. No PowerShell is run. The rules about
    /// which code may build or write error records, write verbose output or make the engine are held at build time by
    /// src/PSUpnp/BannedSymbols.txt; ShouldProcess, progress, Ctrl+C and error behaviour are proven in Pester.
    /// </summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class CmdletDesignTests
    {
        private const string AllSets = "__AllParameterSets";
        private readonly BuiltModule _module;

        public CmdletDesignTests(BuiltModule module)
        {
            _module = module;
        }

        public static IEnumerable<object[]> IssueParameters() => new[]
        {
            new object[] { "Find-UpnpGateway", "All LocalAddress Location TimeoutSec" },
            // Issue 11 adds -Method (the way: UPnP IGD, PCP, NAT-PMP) to the four gateway cmdlets, and -InternalPort to
            // Remove-UpnpPortMapping (PCP and NAT-PMP name a mapping by its internal port); IPv6 pinholes add -AddressFamily,
            // -RemotePort and -PinholeId.
            new object[] { "Get-UpnpExternalAddress", "Gateway Method TimeoutSec" },
            new object[] { "Add-UpnpPortMapping", "AddressFamily Description ExternalPort Force Gateway InternalClient InternalPort LeaseDuration Method PinholeId Protocol RemoteHost RemotePort Renew TimeoutSec" },
            new object[] { "Get-UpnpPortMapping", "AddressFamily Description ExternalPort Gateway InternalClient Method Protocol TimeoutSec" },
            new object[] { "Remove-UpnpPortMapping", "ExternalPort Gateway InputObject InternalPort Method PassThru PinholeId Protocol RemoteHost TimeoutSec" },
        };

        [Theory]
        [MemberData(nameof(IssueParameters))]
        public void EachCmdletHasTheParametersIssue3Names(string cmdlet, string parameters)
        {
            Assert.Equal(parameters.Split(' '), Command(cmdlet).Parameters.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void ParametersHaveTheTypesAnAdminTypesAndTabCompletes()
        {
            Assert.Equal("TimeSpan", Param("Add-UpnpPortMapping", "LeaseDuration").TypeName);
            Assert.Equal("IPAddress", Param("Add-UpnpPortMapping", "InternalClient").TypeName);
            Assert.Equal("IPAddress", Param("Add-UpnpPortMapping", "RemoteHost").TypeName);
            Assert.Equal("SwitchParameter", Param("Add-UpnpPortMapping", "Force").TypeName);
            Assert.Equal("SwitchParameter", Param("Add-UpnpPortMapping", "Renew").TypeName);
            Assert.Equal("IPAddress", Param("Find-UpnpGateway", "LocalAddress").TypeName);
            Assert.Equal("Uri", Param("Find-UpnpGateway", "Location").TypeName);
            Assert.Equal("SwitchParameter", Param("Find-UpnpGateway", "All").TypeName);
            Assert.Equal("SwitchParameter", Param("Remove-UpnpPortMapping", "PassThru").TypeName);

            // An enum is what PowerShell tab-completes: TCP, UDP, Both (nullable, so that an empty CSV cell means TCP).
            // The type comes from a metadata-only load, so Nullable<T> is read by its shape, not by typeof.
            var declared = Param("Add-UpnpPortMapping", "Protocol").Property.PropertyType;
            Assert.Equal("System.Nullable`1", declared.GetGenericTypeDefinition().FullName);
            var selection = declared.GetGenericArguments()[0];
            Assert.True(selection.IsEnum);
            Assert.Equal(new[] { "TCP", "UDP", "Both" }, selection.GetEnumNames());

            foreach (var name in new[] { "InternalClient", "Description" })
            {
                var property = Param("Get-UpnpPortMapping", name).Property;
                Assert.Contains(property.GetCustomAttributesData(), a => a.AttributeType.Name == "SupportsWildcardsAttribute");
            }
        }

        [Fact]
        public void EveryPortParameterAccepts1To65535Only()
        {
            var ports = _module.Commands.SelectMany(c => c.Parameters.Select(p => (Command: c, Parameter: p)))
                .Where(x => x.Parameter.Name.EndsWith("Port", StringComparison.Ordinal))
                .ToList();
            Assert.True(ports.Count >= 4, $"{ports.Count} port parameters");
            foreach (var (command, parameter) in ports)
            {
                var range = parameter.Property.GetCustomAttributesData().SingleOrDefault(a => a.AttributeType.Name == "ValidateRangeAttribute");
                Assert.True(range != null, $"{command.Name} -{parameter.Name} has no ValidateRange");

                // A local port may be 0, which asks the system to choose; an internal port may be 0, the external port
                // (what PowerShell makes of an empty CSV cell); a pinhole's remote port may be 0, any remote port (as
                // WANIPv6FirewallControl writes it, and what an IPv4 mapping piped in carries); an external port may not.
                var lowest = parameter.Name is "LocalPort" or "InternalPort" or "RemotePort" ? 0 : 1;
                Assert.Equal(new object[] { lowest, 65535 }, range!.ConstructorArguments.Select(a => a.Value).ToArray());
            }
        }

        [Fact]
        public void PipelineInputBindsToOneParameterSetOnly()
        {
            // PowerShell binds a piped object in four rounds (by value without and with coercion, by property name
            // without and with coercion) and in each round tries the default parameter set first. So within a set no two
            // parameters may take the same object by value, and a type another set takes by value must not also be
            // taken by value in the default set, or that other set could never be reached from the pipeline.
            Assert.NotEmpty(_module.Commands);
            foreach (var command in _module.Commands)
            {
                var sets = SetsOf(command);
                foreach (var (set, parameters) in sets)
                {
                    var byValue = parameters.Where(p => TakesByValue(p, set)).ToList();
                    foreach (var a in byValue)
                    {
                        foreach (var b in byValue.Where(b => b != a))
                        {
                            Assert.False(
                                Accepts(a, b.Property.PropertyType),
                                $"{command.Name}, set {set}: -{a.Name} and -{b.Name} both take a {b.TypeName} by value");
                        }
                    }
                }

                var defaultSet = DefaultSet(command);
                if (defaultSet == null)
                {
                    continue;
                }

                var defaults = sets[defaultSet].Where(p => TakesByValue(p, defaultSet)).ToList();
                foreach (var (set, parameters) in sets.Where(s => s.Key != defaultSet))
                {
                    foreach (var other in parameters.Where(p => TakesByValue(p, set) && !InAllSets(p)))
                    {
                        Assert.DoesNotContain(defaults, d => Accepts(d, other.Property.PropertyType));
                    }
                }
            }
        }

        [Fact]
        public void APipedMappingRemovesThatMappingAndAPipedGatewayNamesWhereToRemove()
        {
            var remove = Command("Remove-UpnpPortMapping");
            Assert.Equal("ByMapping", BindByValue(remove, _module.Core.GetType("PSUpnp.UpnpPortMapping", true)!));
            Assert.Equal("ByKey", BindByValue(remove, _module.Core.GetType("PSUpnp.UpnpGateway", true)!));

            // Mapping keys bind by property name, so anything with ExternalPort and Protocol can be piped in.
            var byName = remove.Parameters.Where(p => p.ByPropertyName).Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { "ExternalPort", "Gateway", "InternalPort", "Method", "PinholeId", "Protocol", "RemoteHost" }, byName);

            foreach (var cmdlet in new[] { "Add-UpnpPortMapping", "Get-UpnpExternalAddress", "Get-UpnpPortMapping" })
            {
                Assert.Equal(AllSets, BindByValue(Command(cmdlet), _module.Core.GetType("PSUpnp.UpnpGateway", true)!));
            }
        }

        [Fact]
        public void TheGatewayParameterIsDeclaredOnceByTheBaseTheSameWayForEveryGatewayCmdlet()
        {
            var gatewayCmdlets = _module.Commands.Where(c => c.Type.BaseType!.Name == "GatewayCmdletBase").ToList();
            Assert.Equal(5, gatewayCmdlets.Count);
            foreach (var command in gatewayCmdlets)
            {
                var gateway = command.Parameters.Single(p => p.Name == "Gateway");
                Assert.Equal("GatewayCmdletBase", gateway.Property.DeclaringType!.Name);
                var set = Assert.Single(gateway.Sets);
                Assert.Equal(AllSets, SetName(set));
                Assert.Null(gateway.Position);
                Assert.True(gateway.ByValue && gateway.ByPropertyName, command.Name);
                Assert.Contains(gateway.Property.GetCustomAttributesData(), a => a.AttributeType.Name == "GatewayTransformationAttribute");
            }
        }

        [Fact]
        public void AddUpnpPortMappingTakesEveryFieldOfAMappingByPropertyName()
        {
            var add = Command("Add-UpnpPortMapping");
            var mapping = _module.Core.GetType("PSUpnp.UpnpPortMapping", true)!;
            var byName = add.Parameters.Where(p => p.ByPropertyName).Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { "Description", "ExternalPort", "Gateway", "InternalClient", "InternalPort", "LeaseDuration", "Method", "PinholeId", "Protocol", "RemoteHost", "RemotePort" }, byName);
            Assert.All(byName, name => Assert.NotNull(mapping.GetProperty(name)));

            // An empty CSV cell means "not given": the optional fields turn a blank string into their default.
            foreach (var name in new[] { "Protocol", "InternalClient", "Description", "LeaseDuration", "RemoteHost", "Method", "PinholeId" })
            {
                Assert.Contains(Param("Add-UpnpPortMapping", name).Property.GetCustomAttributesData(), a => a.AttributeType.Name == "BlankMeansNotGivenAttribute");
            }
        }

        [Fact]
        public void ParametersThatMeanWhatAnInBoxNetNatOrNetTCPIPParameterMeansAnswerToItsName()
        {
            string[] Aliases(string cmdlet, string name) => Param(cmdlet, name).Property.GetCustomAttributesData()
                .Where(a => a.AttributeType.Name == "AliasAttribute")
                .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
                .Select(v => (string)v.Value!)
                .ToArray();

            // Add-NetNatStaticMapping -InternalIPAddress; Get-NetTCPConnection -RemoteAddress.
            Assert.Equal(new[] { "InternalIPAddress" }, Aliases("Add-UpnpPortMapping", "InternalClient"));
            Assert.Equal(new[] { "InternalIPAddress" }, Aliases("Get-UpnpPortMapping", "InternalClient"));
            Assert.Equal(new[] { "RemoteAddress" }, Aliases("Add-UpnpPortMapping", "RemoteHost"));
            Assert.Equal(new[] { "RemoteAddress" }, Aliases("Remove-UpnpPortMapping", "RemoteHost"));
        }

        [Fact]
        public void EachPipedObjectIsHandledAsItArrives()
        {
            // All work happens per record (ProcessRecord, or ProcessGateway under the base's sealed ProcessRecord);
            // nothing is collected for EndProcessing, so a long pipeline streams.
            const BindingFlags Declared = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly;
            Assert.NotEmpty(_module.Commands);
            Assert.All(_module.Commands, c =>
            {
                var perRecord = c.Type.BaseType!.Name == "GatewayCmdletBase" ? "ProcessGateway" : "ProcessRecord";
                Assert.NotNull(c.Type.GetMethod(perRecord, Declared));
                for (var type = c.Type; type != null && type.Namespace == "PSUpnp.Commands"; type = type.BaseType)
                {
                    Assert.Null(type.GetMethod("EndProcessing", Declared));
                    Assert.Null(type.GetMethod("BeginProcessing", Declared));
                }
            });
            var baseRecord = _module.Commands.First(c => c.Name == "Add-UpnpPortMapping").Type.BaseType!.GetMethod("ProcessRecord", Declared)!;
            Assert.True(baseRecord.IsFinal, "GatewayCmdletBase.ProcessRecord is sealed: a gateway cmdlet works per gateway");
        }

        [Fact]
        public void TheModuleFolderHoldsExactlyTheManifestTheFormatFileTheTwoAssembliesAndTheHelp()
        {
            var files = Directory.GetFiles(_module.Folder).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal);
            Assert.Equal(new[] { "PSUpnp.Core.dll", "PSUpnp.Format.ps1xml", "PSUpnp.Types.ps1xml", "PSUpnp.dll", "PSUpnp.psd1" }, files);
            // And the compiled help, in the culture folder where Get-Help looks for it (HelpCompiler tests prove its content).
            Assert.Equal(new[] { "en-US" }, Directory.GetDirectories(_module.Folder).Select(Path.GetFileName));
            foreach (var source in new[] { "PSUpnp.psd1", "PSUpnp.Format.ps1xml", "PSUpnp.Types.ps1xml" })
            {
                Assert.Equal(File.ReadAllBytes(RepoPaths.Combine("module", source)), File.ReadAllBytes(Path.Combine(_module.Folder, source)));
            }

            // The engine in the folder is the one these tests ran against, not a stale copy.
            Assert.Equal(typeof(UpnpGateway).Assembly.ManifestModule.ModuleVersionId, _module.Core.ManifestModule.ModuleVersionId);
            Assert.Contains(_module.Cmdlets.GetReferencedAssemblies(), a => a.Name == "PSUpnp.Core");
        }

        private CmdletInfo Command(string name) => _module.Commands.Single(c => c.Name == name);

        private ParameterInfo Param(string cmdlet, string name) => Command(cmdlet).Parameters.Single(p => p.Name == name);

        private static string SetName(CustomAttributeData parameter) => CmdletInfo.Named(parameter, "ParameterSetName") as string ?? AllSets;

        private static bool InAllSets(ParameterInfo p) => p.Sets.Any(s => SetName(s) == AllSets);

        private static bool TakesByValue(ParameterInfo p, string set) =>
            p.Sets.Any(s => (SetName(s) == set || SetName(s) == AllSets) && CmdletInfo.Named(s, "ValueFromPipeline") is true);

        /// <summary>
        /// Whether a piped object of <paramref name="piped"/> binds to the parameter by value: by its type, or, for -Gateway,
        /// through GatewayTransformationAttribute, which turns a UpnpGateway into a GatewayReference (and leaves a mapping alone).
        /// </summary>
        private static bool Accepts(ParameterInfo p, Type piped) =>
            p.Property.PropertyType.IsAssignableFrom(piped)
            || (piped.FullName == "PSUpnp.UpnpGateway" && p.Property.GetCustomAttributesData().Any(a => a.AttributeType.Name == "GatewayTransformationAttribute"));

        private static string? DefaultSet(CmdletInfo command)
        {
            var cmdlet = command.Type.GetCustomAttributesData().Single(a => a.AttributeType.Name == "CmdletAttribute");
            return CmdletInfo.Named(cmdlet, "DefaultParameterSetName") as string;
        }

        /// <summary>Each named parameter set with its parameters (those of every set included); one __AllParameterSets set when none is named.</summary>
        private static Dictionary<string, List<ParameterInfo>> SetsOf(CmdletInfo command)
        {
            var named = command.Parameters.SelectMany(p => p.Sets.Select(SetName)).Where(s => s != AllSets).Distinct().ToList();
            if (named.Count == 0)
            {
                named.Add(AllSets);
            }

            return named.ToDictionary(s => s, s => command.Parameters.Where(p => p.Sets.Any(a => SetName(a) == s || SetName(a) == AllSets)).ToList());
        }

        /// <summary>
        /// The parameter set a piped object of <paramref name="piped"/> binds to in PowerShell's first round (by value,
        /// no coercion): the default set if one of its parameters takes it, else the one other set that does.
        /// </summary>
        private static string BindByValue(CmdletInfo command, Type piped)
        {
            var sets = SetsOf(command);
            var defaultSet = DefaultSet(command);
            if (defaultSet != null && sets[defaultSet].Any(p => TakesByValue(p, defaultSet) && Accepts(p, piped)))
            {
                return defaultSet;
            }

            var taking = sets.Where(s => s.Value.Any(p => TakesByValue(p, s.Key) && Accepts(p, piped))).Select(s => s.Key).ToList();
            Assert.True(taking.Count == 1, $"{command.Name}: a piped {piped.Name} binds by value in {taking.Count} parameter sets");
            return taking[0];
        }
    }
}
