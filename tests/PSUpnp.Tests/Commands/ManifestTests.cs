using System;
using System.IO;
using System.Linq;
using Xunit;

namespace PSUpnp.Tests.Surface
{
    [Collection(BuiltModuleCollection.Name)]
    public sealed class ManifestTests
    {
        private readonly BuiltModule _module;

        public ManifestTests(BuiltModule module) => _module = module;

        [Fact]
        public void CmdletsToExportNamesExactlyTheCmdletsTheAssemblyDeclares()
        {
            var exported = _module.ManifestList("CmdletsToExport");

            Assert.Equal(_module.Commands.Count, exported.Count);
            Assert.Equal(exported.Count, exported.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.DoesNotContain(exported, e => e.IndexOfAny(new[] { '*', '?', '[' }) >= 0);
            Assert.Equal(_module.Commands.Select(c => c.Name), exported.OrderBy(e => e, StringComparer.Ordinal));
        }

        [Fact]
        public void ModuleVersionIsTheVersionOfDirectoryBuildProps()
        {
            Assert.Equal(_module.Version, _module.ManifestString("ModuleVersion"));
            Assert.Equal(_module.Version, Path.GetFileName(_module.Folder));
            Assert.Equal(_module.Version, _module.Cmdlets.GetName().Version!.ToString(3));
        }

        [Fact]
        public void TheManifestExportsNothingButCmdlets()
        {
            foreach (var key in new[] { "FunctionsToExport", "AliasesToExport", "VariablesToExport" })
            {
                Assert.Empty(_module.ManifestList(key));
            }
        }

        [Fact]
        public void TheManifestTargetsWindowsPowerShellAndPowerShell7()
        {
            Assert.Equal(new[] { "Desktop", "Core" }, _module.ManifestList("CompatiblePSEditions"));
            Assert.Equal("5.1", _module.ManifestString("PowerShellVersion"));
            Assert.True(Guid.TryParse(_module.ManifestString("GUID"), out var guid) && guid != Guid.Empty);
            Assert.Equal("PSUpnp.dll", _module.ManifestString("RootModule"));
        }

        [Fact]
        public void TheGalleryMetadataIsComplete()
        {
            var psData = _module.Manifest.GetProperty("PrivateData").GetProperty("PSData");

            Assert.True(psData.GetProperty("Tags").GetArrayLength() > 0);
            foreach (var key in new[] { "ProjectUri", "LicenseUri" })
            {
                Assert.True(Uri.TryCreate(psData.GetProperty(key).GetString(), UriKind.Absolute, out var uri) && uri.Scheme == "https", key);
            }

            Assert.False(string.IsNullOrWhiteSpace(psData.GetProperty("ReleaseNotes").GetString()));
            Assert.DoesNotContain(
                psData.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()!),
                t => t.Contains(' ', StringComparison.Ordinal));
        }

        [Fact]
        public void TheModuleFolderHoldsEveryFileTheManifestNamesAndNotPowerShellItself()
        {
            var named = new[] { _module.ManifestString("RootModule") }
                .Concat(_module.ManifestList("RequiredAssemblies"))
                .Concat(_module.ManifestList("FormatsToProcess"))
                .Concat(_module.ManifestList("TypesToProcess"))
                .ToList();

            Assert.Equal(4, named.Count);
            Assert.All(named, f => Assert.True(File.Exists(Path.Combine(_module.Folder, f)), $"{f} is not in {_module.Folder}"));
            Assert.False(File.Exists(Path.Combine(_module.Folder, BuiltModule.SmaName + ".dll")));
            Assert.True(File.Exists(Path.Combine(_module.Folder, "PSUpnp.psd1")));
        }
    }
}
