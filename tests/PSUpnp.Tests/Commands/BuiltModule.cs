using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Xml.Linq;
using PSUpnp.Tests.Grammar;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Surface
{
    /// <summary>
    /// The module folder that `dotnet build` assembled (out/PSUpnp/&lt;Version&gt;), its assemblies read with
    /// MetadataLoadContext: nothing is executed, so no PowerShell is needed.
    /// </summary>
    public sealed class BuiltModule : IDisposable
    {
        public const string SmaName = "System.Management.Automation";

        private readonly MetadataLoadContext _context;

        public BuiltModule()
        {
            Version = ReadVersion();
            Folder = RepoPaths.Combine("out", "PSUpnp", Version);
            Assert.True(Directory.Exists(Folder), $"{Folder} is missing: build src/PSUpnp first (the test project does).");
            SmaPath = FindSystemManagementAutomation();

            var paths = Directory.GetFiles(Folder, "*.dll")
                .Concat(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"))
                .Append(SmaPath);
            _context = new MetadataLoadContext(new PathAssemblyResolver(paths));
            Cmdlets = _context.LoadFromAssemblyPath(Path.Combine(Folder, "PSUpnp.dll"));
            Core = _context.LoadFromAssemblyPath(Path.Combine(Folder, "PSUpnp.Core.dll"));
            Sma = _context.LoadFromAssemblyName(SmaName);
            using var manifest = NodeGrammar.ReadDataFile(Path.Combine(Folder, "PSUpnp.psd1"));
            Manifest = manifest.RootElement.Clone();
            Commands = Cmdlets.GetTypes().Select(CmdletInfo.From).OfType<CmdletInfo>().OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        }

        /// <summary>&lt;Version&gt; of Directory.Build.props: the one place the version is written.</summary>
        public string Version { get; }

        public string Folder { get; }

        public string SmaPath { get; }

        public Assembly Cmdlets { get; }

        public Assembly Core { get; }

        public Assembly Sma { get; }

        /// <summary>The manifest as data, read through the PowerShell grammar.</summary>
        public JsonElement Manifest { get; }

        public IReadOnlyList<CmdletInfo> Commands { get; }

        public IReadOnlyList<string> ManifestList(string key) =>
            Manifest.GetProperty(key).ValueKind == JsonValueKind.Array
                ? Manifest.GetProperty(key).EnumerateArray().Select(e => e.GetString()!).ToList()
                : new[] { Manifest.GetProperty(key).GetString()! };

        public string ManifestString(string key) => Manifest.GetProperty(key).GetString()!;

        public void Dispose() => _context.Dispose();

        private static string ReadVersion()
        {
            var props = XDocument.Load(RepoPaths.Combine("Directory.Build.props"));
            var version = props.Descendants("Version").Select(v => v.Value.Trim()).SingleOrDefault();
            Assert.False(string.IsNullOrEmpty(version), "Directory.Build.props names no <Version>.");
            return version!;
        }

        /// <summary>
        /// The reference System.Management.Automation that the cmdlet project compiled against, found through the
        /// project's restore output (the NuGet package folder it used), not a guessed path.
        /// </summary>
        private static string FindSystemManagementAutomation()
        {
            var assets = RepoPaths.Combine("src", "PSUpnp", "obj", "project.assets.json");
            Assert.True(File.Exists(assets), $"{assets} is missing: restore src/PSUpnp first.");
            using var doc = JsonDocument.Parse(File.ReadAllText(assets));
            var library = doc.RootElement.GetProperty("libraries").EnumerateObject()
                .Single(p => p.Name.StartsWith("PowerShellStandard.Library/", StringComparison.OrdinalIgnoreCase));
            var relative = library.Value.GetProperty("path").GetString()!;
            var candidates = doc.RootElement.GetProperty("packageFolders").EnumerateObject()
                .Select(f => Path.Combine(f.Name, relative, "lib", "netstandard2.0", SmaName + ".dll"))
                .ToList();
            var found = candidates.FirstOrDefault(File.Exists);
            Assert.True(found != null, "System.Management.Automation.dll not found in: " + string.Join(", ", candidates));
            return found!;
        }
    }

    [CollectionDefinition(Name)]
    public sealed class BuiltModuleCollection : ICollectionFixture<BuiltModule>
    {
        public const string Name = "Built module";
    }
}
