using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Surface
{
    /// <summary>Issue 2, Skeleton: the solution's projects, the cmdlet project's PowerShell reference, the README's test command and what .ci/run does.</summary>
    public sealed class RepositoryLayoutTests
    {
        [Fact]
        public void TheSolutionHoldsTheEngineTheCmdletsTheTestsTheLabAndTheBench()
        {
            var solution = File.ReadAllText(RepoPaths.Combine("PSUpnp.sln"));
            var projects = Regex.Matches(solution, @"^Project\(""\{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC\}""\)\s*=\s*""[^""]+"",\s*""([^""]+)""", RegexOptions.Multiline)
                .Select(m => m.Groups[1].Value.Replace('\\', '/'))
                .ToList();

            foreach (var expected in new[] { "src/PSUpnp.Core/PSUpnp.Core.csproj", "src/PSUpnp/PSUpnp.csproj", "tests/PSUpnp.Tests/PSUpnp.Tests.csproj", "tests/Lab/PSUpnp.Lab.csproj" })
            {
                Assert.Contains(expected, projects);
            }

            Assert.Contains(projects, p => p.StartsWith("bench/", StringComparison.Ordinal));
            Assert.All(projects, p => Assert.True(File.Exists(RepoPaths.Combine(p)), p + " is in the solution but not on disk"));
        }

        [Fact]
        public void TheCmdletsCompileAgainstPowerShellStandardWithoutShippingIt()
        {
            var project = XDocument.Load(RepoPaths.Combine("src", "PSUpnp", "PSUpnp.csproj"));
            Assert.Equal("netstandard2.0", project.Descendants("TargetFramework").Single().Value);

            var reference = project.Descendants("PackageReference").Single();
            Assert.Equal("PowerShellStandard.Library", (string?)reference.Attribute("Include"));
            Assert.Equal("5.1.1", (string?)reference.Attribute("Version"));
            Assert.Equal("all", (string?)reference.Attribute("PrivateAssets"));
        }

        [Fact]
        public void TheREADMENamesTheTestCommandAndCiRunsExactlyItAfterInstallingThePackages()
        {
            Assert.Contains("bash tests/run", File.ReadAllText(RepoPaths.Combine("README.md")), StringComparison.Ordinal);

            var ci = File.ReadAllLines(RepoPaths.Combine(".ci", "run")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("#", StringComparison.Ordinal)).ToList();
            var update = ci.FindIndex(l => Regex.IsMatch(l, @"apt-get update\b"));
            var install = ci.FindIndex(l => Regex.IsMatch(l, @"apt-get install\b"));
            Assert.True(update >= 0 && install > update, "apt-get update must come before apt-get install");
            Assert.Equal("bash tests/run", ci[^1]);

            var packages = string.Join("\n", ci);
            foreach (var package in new[] { "miniupnpd-nftables", "miniupnpc", "natpmpc", "coturn", "nftables", "iproute2" })
            {
                Assert.Contains(package, packages, StringComparison.Ordinal);
            }
        }
    }
}
