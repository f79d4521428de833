using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Surface
{
    [Collection(BuiltModuleCollection.Name)]
    public sealed class CmdletSurfaceTests
    {
        private const int MaxCommandFileLines = 150;
        private readonly BuiltModule _module;

        public CmdletSurfaceTests(BuiltModule module) => _module = module;

        [Fact]
        public void TheAssemblyDeclaresTheSixPortMappingCmdletsAndTestNatType()
        {
            Assert.Equal(
                new[] { "Add-UpnpPortMapping", "Find-UpnpGateway", "Get-UpnpExternalAddress", "Get-UpnpPortMapping", "Remove-UpnpPortMapping", "Test-NatType", "Test-UpnpPortMapping" },
                _module.Commands.Select(c => c.Name));
        }

        [Fact]
        public void TestNatTypeTakesItsServersFirstAndNothingFromThePipeline()
        {
            var command = _module.Commands.Single(c => c.Name == "Test-NatType");
            var server = command.Parameters.Single(p => p.Name == "Server");

            Assert.Equal(0, server.Position);
            Assert.Equal("String[]", server.TypeName);
            Assert.Equal(
                new[] { "LocalAddress", "LocalPort", "NoGateway", "Server", "TimeoutSec" },
                command.Parameters.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
            Assert.DoesNotContain(command.Parameters, p => p.ByValue || p.ByPropertyName);
        }

        [Fact]
        public void EveryVerbIsAnApprovedPowerShellVerb()
        {
            Assert.NotEmpty(_module.Commands);
            Assert.All(_module.Commands, c => Assert.True(ApprovedVerbs.All.Contains(c.Verb), $"{c.Name}: '{c.Verb}' is not an approved verb"));
        }

        [Fact]
        public void TheEmbeddedVerbListHoldsEveryVerbSystemManagementAutomationDefines()
        {
            var classes = new[] { "VerbsCommon", "VerbsCommunications", "VerbsData", "VerbsDiagnostic", "VerbsLifecycle", "VerbsSecurity", "VerbsOther" };
            var defined = classes
                .SelectMany(c => _module.Sma.GetType("System.Management.Automation." + c, throwOnError: true)!.GetFields(BindingFlags.Public | BindingFlags.Static))
                .Select(f => (string)f.GetRawConstantValue()!)
                .ToList();

            Assert.True(defined.Count >= 90, $"only {defined.Count} verbs read from System.Management.Automation");
            Assert.DoesNotContain(defined, v => !ApprovedVerbs.All.Contains(v));
        }

        [Fact]
        public void EveryNounIsSingularAndNamesTheModuleArea()
        {
            // Upnp for the port mapping cmdlets, Nat for Test-NatType (STUN).
            var prefixes = new[] { "Upnp", "Nat" };
            Assert.NotEmpty(_module.Commands);
            foreach (var command in _module.Commands)
            {
                Assert.True(prefixes.Any(p => command.Noun.StartsWith(p, StringComparison.Ordinal)), $"{command.Name}: unexpected noun");
                var lastWord = Regex.Matches(command.Noun, "[A-Z][a-z0-9]*").Last().Value;
                var plural = lastWord.EndsWith("s", StringComparison.Ordinal) && !Regex.IsMatch(lastWord, "(ss|us|is)$");
                Assert.False(plural, $"{command.Name}: the noun looks plural");
            }
        }

        [Fact]
        public void EveryCmdletDeclaresAnOutputTypeThatExistsInTheEngine()
        {
            Assert.NotEmpty(_module.Commands);
            foreach (var command in _module.Commands)
            {
                Assert.True(command.OutputTypes.Count > 0, $"{command.Name} declares no OutputType");
                foreach (var output in command.OutputTypes)
                {
                    var type = Assert.IsAssignableFrom<Type>(output);
                    Assert.True(type.IsPublic, $"{command.Name}: {type} is not public");
                    Assert.Equal("PSUpnp.Core", type.Assembly.GetName().Name);
                }
            }
        }

        [Fact]
        public void EveryCmdletClassIsSealedAndNamedForItsCommand()
        {
            Assert.NotEmpty(_module.Commands);
            Assert.All(_module.Commands, c =>
            {
                Assert.True(c.Type.IsSealed, $"{c.Type.Name} is not sealed");
                Assert.Equal(c.Verb + c.Noun + "Command", c.Type.Name);
                Assert.Equal("PSUpnp.Commands", c.Type.Namespace);
            });
        }

        [Fact]
        public void CmdletsThatChangeTheRouterSupportWhatIfAndConfirm()
        {
            var changing = _module.Commands.Where(c => ApprovedVerbs.Changing.Contains(c.Verb)).ToList();
            Assert.Equal(2, changing.Count);
            Assert.All(changing, c => Assert.True(c.SupportsShouldProcess, $"{c.Name} does not support ShouldProcess"));

            const int Medium = 2;
            Assert.Equal(Medium, _module.Commands.Single(c => c.Name == "Remove-UpnpPortMapping").ConfirmImpact);
        }

        [Fact]
        public void ACmdletWithPassThruDeclaresWhatItPassesThrough()
        {
            var withPassThru = _module.Commands.Where(c => c.Parameters.Any(p => p.Name == "PassThru")).ToList();
            Assert.NotEmpty(withPassThru);
            Assert.All(withPassThru, c => Assert.NotEmpty(c.OutputTypes));
        }

        [Fact]
        public void EveryNetworkCmdletTakesTimeoutSec()
        {
            Assert.NotEmpty(_module.Commands);
            Assert.All(_module.Commands, c => Assert.Contains(c.Parameters, p => p.Name == "TimeoutSec"));
        }

        [Fact]
        public void GatewaysAndMappingsBindFromThePipeline()
        {
            ParameterInfo Param(string cmdlet, string name) =>
                _module.Commands.Single(c => c.Name == cmdlet).Parameters.Single(p => p.Name == name);

            Assert.True(Param("Get-UpnpExternalAddress", "Gateway").ByValue);
            Assert.True(Param("Add-UpnpPortMapping", "Gateway").ByValue);
            Assert.True(Param("Get-UpnpPortMapping", "Gateway").ByValue);
            Assert.True(Param("Remove-UpnpPortMapping", "InputObject").ByValue);
            Assert.Equal("UpnpPortMapping", Param("Remove-UpnpPortMapping", "InputObject").TypeName);
            foreach (var key in new[] { "ExternalPort", "Protocol", "RemoteHost", "Gateway" })
            {
                Assert.True(Param("Remove-UpnpPortMapping", key).ByPropertyName, key);
                Assert.NotNull(_module.Core.GetType("PSUpnp.UpnpPortMapping")!.GetProperty(key));
            }

            Assert.Equal(0, Param("Add-UpnpPortMapping", "ExternalPort").Position);
        }

        [Fact]
        public void EveryEngineErrorCategoryHasAPowerShellErrorCategoryOfTheSameName()
        {
            var upnp = _module.Core.GetType("PSUpnp.UpnpErrorCategory", throwOnError: true)!.GetEnumNames();
            var powershell = _module.Sma.GetType("System.Management.Automation.ErrorCategory", throwOnError: true)!.GetEnumNames();

            Assert.True(upnp.Length > 10);
            Assert.Empty(upnp.Except(powershell));
        }

        [Fact]
        public void NoCommandFileIsLongerThanTheLimit()
        {
            var files = Directory.GetFiles(RepoPaths.Combine("src", "PSUpnp", "Commands"), "*.cs");
            Assert.Equal(_module.Commands.Count, files.Length);
            Assert.All(files, f => Assert.True(
                File.ReadAllLines(f).Length <= MaxCommandFileLines,
                $"{Path.GetFileName(f)} has more than {MaxCommandFileLines} lines: move behaviour into the engine"));
        }
    }
}
