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
        public void The_assembly_declares_the_six_port_mapping_cmdlets_and_Test_NatType()
        {
            Assert.Equal(
                new[] { "Add-UpnpPortMapping", "Find-UpnpGateway", "Get-UpnpExternalAddress", "Get-UpnpPortMapping", "Remove-UpnpPortMapping", "Test-NatType", "Test-UpnpPortMapping" },
                _module.Commands.Select(c => c.Name));
        }

        [Fact]
        public void Test_NatType_takes_its_servers_first_and_nothing_from_the_pipeline()
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
        public void Every_verb_is_an_approved_PowerShell_verb()
        {
            Assert.NotEmpty(_module.Commands);
            Assert.All(_module.Commands, c => Assert.True(ApprovedVerbs.All.Contains(c.Verb), $"{c.Name}: '{c.Verb}' is not an approved verb"));
        }

        [Fact]
        public void The_embedded_verb_list_holds_every_verb_System_Management_Automation_defines()
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
        public void Every_noun_is_singular_and_names_the_module_area()
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
        public void Every_cmdlet_declares_an_output_type_that_exists_in_the_engine()
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
        public void Every_cmdlet_class_is_sealed_and_named_for_its_command()
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
        public void Cmdlets_that_change_the_router_support_WhatIf_and_Confirm()
        {
            var changing = _module.Commands.Where(c => ApprovedVerbs.Changing.Contains(c.Verb)).ToList();
            Assert.Equal(2, changing.Count);
            Assert.All(changing, c => Assert.True(c.SupportsShouldProcess, $"{c.Name} does not support ShouldProcess"));

            const int Medium = 2;
            Assert.Equal(Medium, _module.Commands.Single(c => c.Name == "Remove-UpnpPortMapping").ConfirmImpact);
        }

        [Fact]
        public void A_cmdlet_with_PassThru_declares_what_it_passes_through()
        {
            var withPassThru = _module.Commands.Where(c => c.Parameters.Any(p => p.Name == "PassThru")).ToList();
            Assert.NotEmpty(withPassThru);
            Assert.All(withPassThru, c => Assert.NotEmpty(c.OutputTypes));
        }

        [Fact]
        public void Every_network_cmdlet_takes_TimeoutSec()
        {
            Assert.NotEmpty(_module.Commands);
            Assert.All(_module.Commands, c => Assert.Contains(c.Parameters, p => p.Name == "TimeoutSec"));
        }

        [Fact]
        public void Gateways_and_mappings_bind_from_the_pipeline()
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
        public void Every_engine_error_category_has_a_PowerShell_ErrorCategory_of_the_same_name()
        {
            var upnp = _module.Core.GetType("PSUpnp.UpnpErrorCategory", throwOnError: true)!.GetEnumNames();
            var powershell = _module.Sma.GetType("System.Management.Automation.ErrorCategory", throwOnError: true)!.GetEnumNames();

            Assert.True(upnp.Length > 10);
            Assert.Empty(upnp.Except(powershell));
        }

        [Fact]
        public void No_command_file_is_longer_than_the_limit()
        {
            var files = Directory.GetFiles(RepoPaths.Combine("src", "PSUpnp", "Commands"), "*.cs");
            Assert.Equal(_module.Commands.Count, files.Length);
            Assert.All(files, f => Assert.True(
                File.ReadAllLines(f).Length <= MaxCommandFileLines,
                $"{Path.GetFileName(f)} has more than {MaxCommandFileLines} lines: move behaviour into the engine"));
        }
    }
}
