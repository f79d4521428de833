using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PSUpnp.Tests.Grammar;
using Xunit;

namespace PSUpnp.Tests.Surface
{
    [Collection(BuiltModuleCollection.Name)]
    public sealed class HelpTests
    {
        private static readonly string[] RequiredSections = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS" };
        private readonly BuiltModule _module;

        public HelpTests(BuiltModule module) => _module = module;

        [Fact]
        public void ThereIsOneHelpPagePerCmdletAndNoOther()
        {
            Assert.Equal(_module.Commands.Select(c => c.Name), HelpFile.CommandPages());
        }

        [Fact]
        public void EveryPageHasTheSectionsPlatyPSNeeds()
        {
            Assert.NotEmpty(_module.Commands);
            foreach (var command in _module.Commands)
            {
                var help = HelpFile.Load(command.Name);
                Assert.Equal(command.Name, help.Title);
                foreach (var section in RequiredSections)
                {
                    Assert.True(
                        help.Sections.TryGetValue(section, out var body) && !string.IsNullOrWhiteSpace(body),
                        $"{command.Name}: section {section} is missing or empty");
                }
            }
        }

        [Fact]
        public void EveryParameterIsDocumentedAndEveryDocumentedParameterExists()
        {
            Assert.NotEmpty(_module.Commands);
            foreach (var command in _module.Commands)
            {
                var expected = command.Parameters.Select(p => "-" + p.Name)
                    .Concat(command.SupportsShouldProcess ? new[] { "-WhatIf", "-Confirm" } : Array.Empty<string>())
                    .Append("CommonParameters")
                    .OrderBy(n => n, StringComparer.Ordinal);
                var documented = HelpFile.Load(command.Name).Parameters.Keys.OrderBy(n => n, StringComparer.Ordinal);
                Assert.Equal(expected, documented);
            }
        }

        [Fact]
        public void TheDocumentedTypePositionRequirednessAndPipelineInputMatchTheCode()
        {
            Assert.NotEmpty(_module.Commands);
            foreach (var command in _module.Commands)
            {
                var help = HelpFile.Load(command.Name);
                foreach (var parameter in command.Parameters)
                {
                    var yaml = help.Parameters["-" + parameter.Name];
                    var where = $"{command.Name} -{parameter.Name}";
                    Assert.True(yaml.ContainsKey("Type"), where + ": no yaml block");
                    Assert.Equal(parameter.TypeName, yaml["Type"]);
                    Assert.True(parameter.Mandatory.ToString() == yaml["Required"], where + ": Required");
                    Assert.True((parameter.Position?.ToString() ?? "Named") == yaml["Position"], where + ": Position");
                    var pipeline = yaml["Accept pipeline input"];
                    Assert.True(parameter.ByValue == pipeline.Contains("ByValue", StringComparison.Ordinal), where + ": ByValue");
                    Assert.True(parameter.ByPropertyName == pipeline.Contains("ByPropertyName", StringComparison.Ordinal), where + ": ByPropertyName");
                    var wildcards = parameter.Property.GetCustomAttributesData().Any(a => a.AttributeType.Name == "SupportsWildcardsAttribute");
                    Assert.True(wildcards.ToString() == yaml["Accept wildcard characters"], where + ": wildcards");
                }
            }
        }

        [Fact]
        public void EveryPageHasAtLeastTwoExamplesThatUseTheCmdletAndParse()
        {
            Assert.NotEmpty(_module.Commands);
            foreach (var command in _module.Commands)
            {
                var examples = HelpFile.Load(command.Name).Examples;
                Assert.True(examples.Count >= 2, $"{command.Name}: {examples.Count} examples");
                foreach (var (title, code) in examples)
                {
                    var script = HelpFile.WithoutPrompt(code);
                    Assert.Contains(command.Name, script, StringComparison.Ordinal);
                    var errors = NodeGrammar.ParseText(command.Name + ": " + title, script);
                    Assert.True(errors.Count == 0, $"{command.Name} '{title}': {string.Join("; ", errors)}");
                }
            }
        }

        [Fact]
        public void OutputsNameTheDeclaredOutputTypes()
        {
            Assert.NotEmpty(_module.Commands);
            foreach (var command in _module.Commands)
            {
                var outputs = HelpFile.Load(command.Name).Sections["OUTPUTS"];
                Assert.All(command.OutputTypes.Cast<Type>(), t => Assert.Contains("### " + t.FullName, outputs, StringComparison.Ordinal));
            }
        }

        [Fact]
        public void TheAboutTopicCoversRenewalOnWindowsAndLinuxAndItsPowerShellParses()
        {
            var path = Path.Combine(HelpFile.Directory, "about_PSUpnp.help.md");
            var text = File.ReadAllText(path);
            foreach (var topic in new[] { "Register-ScheduledTask", "systemd", "double NAT", "LeaseDuration", "Find-UpnpGateway -Location" })
            {
                Assert.Contains(topic, text, StringComparison.OrdinalIgnoreCase);
            }

            var blocks = Regex.Matches(text, @"^```powershell\r?\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);
            Assert.True(blocks.Count >= 3, $"{blocks.Count} PowerShell blocks in the about topic");
            foreach (Match block in blocks)
            {
                var errors = NodeGrammar.ParseText("about_PSUpnp", HelpFile.WithoutPrompt(block.Groups[1].Value));
                Assert.True(errors.Count == 0, "about_PSUpnp: " + string.Join("; ", errors) + "\n" + block.Value);
            }
        }
    }
}
