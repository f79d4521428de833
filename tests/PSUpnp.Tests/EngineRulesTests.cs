using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Xunit;

namespace PSUpnp.Tests.CodeRules
{
    /// <summary>
    /// The code rules of the developers' guide that no analyzer holds (src/Directory.Build.props lists those that do),
    /// checked on src/PSUpnp.Core's metadata and, where only the source can tell, on the source with comments removed.
    /// </summary>
    public sealed class EngineRulesTests
    {
        private static string CorePath => typeof(UpnpGateway).Assembly.Location;

        /// <summary>
        /// A catch-all whose body is empty or returns null hides the failure it caught; #if gives each framework its
        /// own body, when netstandard2.0 alone serves both PowerShell editions.
        /// </summary>
        private static readonly Regex[] ForbiddenSource =
        {
            new Regex(@"catch\s*(\(\s*(System\.)?Exception(\s+\w+)?\s*\))?\s*(when\s*\((?>[^()]+|\((?<d>)|\)(?<-d>))*(?(d)(?!))\)\s*)?\{\s*(return\s+(null|default)\s*;\s*)?\}"),
            new Regex(@"\bcatch\s*\{"),
            new Regex(@"^\s*#\s*if\b", RegexOptions.Multiline),
        };

        [Fact]
        public void TheEngineReferencesNetstandardAloneAndNoPowerShell()
        {
            // netstandard alone: no System.Management.Automation, so no PSCmdlet or ErrorRecord can appear in the engine.
            Assert.Equal(new[] { "netstandard" }, typeof(UpnpGateway).Assembly.GetReferencedAssemblies().Select(a => a.Name));
        }

        [Fact]
        public void TheEngineProjectHasNoPackageOrPowerShellReference()
        {
            var project = File.ReadAllText(Support.RepoPaths.Combine("src", "PSUpnp.Core", "PSUpnp.Core.csproj"));

            Assert.Contains("<TargetFramework>netstandard2.0</TargetFramework>", project, StringComparison.Ordinal);
            Assert.DoesNotContain("PackageReference", project, StringComparison.Ordinal);
            Assert.DoesNotContain("ProjectReference", project, StringComparison.Ordinal);
        }

        [Fact]
        public void NoEngineTypeHasAFinalizerOrMutableStaticState()
        {
            using var context = new MetadataLoadContext(new PathAssemblyResolver(
                Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll").Append(CorePath)));
            var types = context.LoadFromAssemblyPath(CorePath).GetTypes();
            Assert.True(types.Length > 50, $"{types.Length} types");

            const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            var finalizers = types.Where(t => t.GetMethod("Finalize", Declared | BindingFlags.Instance, null, Type.EmptyTypes, null) != null);
            Assert.Empty(finalizers.Select(t => t.FullName));

            // Compiler-generated caches (lambda singletons) are not state; everything else static must be readonly.
            var mutable = types
                .Where(t => !IsCompilerGenerated(t))
                .SelectMany(t => t.GetFields(Declared | BindingFlags.Static).Select(f => (Type: t, Field: f)))
                .Where(x => !x.Field.IsLiteral && !x.Field.IsInitOnly && !IsCompilerGenerated(x.Field))
                .Select(x => x.Type.FullName + "." + x.Field.Name);
            Assert.Empty(mutable);
        }

        [Fact]
        public void OutputObjectsAreSealedImmutableAndUseIPAddressTimeSpanAndDateTimeOffset()
        {
            var outputs = new[] { typeof(UpnpGateway), typeof(UpnpPortMapping), typeof(UpnpExternalAddress), typeof(NatTypeResult) };
            foreach (var type in outputs)
            {
                Assert.True(type.IsSealed, type.Name);
                var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
                Assert.NotEmpty(properties);
                Assert.All(properties, p => Assert.True(p.SetMethod == null || !p.SetMethod.IsPublic, type.Name + "." + p.Name + " has a public setter"));
                Assert.All(type.GetFields(BindingFlags.Public | BindingFlags.Instance), f => Assert.Fail(type.Name + "." + f.Name + " is a public field"));

                foreach (var p in properties)
                {
                    var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
                    Assert.False(t == typeof(DateTime), type.Name + "." + p.Name + " is a DateTime");
                    if (p.Name.EndsWith("Address", StringComparison.Ordinal) || p.Name is "InternalClient" or "RemoteHost")
                    {
                        Assert.True(t == typeof(System.Net.IPAddress), type.Name + "." + p.Name + " is " + t.Name);
                    }

                    if (p.Name is "LeaseDuration" or "Uptime")
                    {
                        Assert.True(t == typeof(TimeSpan), type.Name + "." + p.Name + " is " + t.Name);
                    }

                    if (p.Name.EndsWith("At", StringComparison.Ordinal))
                    {
                        Assert.True(t == typeof(DateTimeOffset), type.Name + "." + p.Name + " is " + t.Name);
                    }
                }
            }

            Assert.Equal(TimeSpan.Zero, SystemClock.Instance.UtcNow.Offset);
        }

        [Fact]
        public void TheSourcePatternsRecogniseWhatTheyForbid()
        {
            var samples = new[]
            {
                "try { x(); } catch (Exception) { return null; }",
                "try { x(); } catch (System.Exception e) when (Filter(e.Message)) { }",
                "try { x(); } catch { }",
                "#if NETSTANDARD2_0\nvoid A() {}\n#endif",
            };
            Assert.All(samples, s => Assert.True(ForbiddenSource.Any(r => r.IsMatch(SourceText.Strip(s, true))), s));

            // Comments and strings are not code; a catch that handles the error is fine.
            var allowed = new[]
            {
                "// catch (Exception) { return null; }",
                "var s = \"catch { }\";",
                "try { x(); } catch (Exception e) when (e is IOException) { Trace(e.Message); }",
            };
            Assert.All(allowed, s => Assert.False(ForbiddenSource.Any(r => r.IsMatch(SourceText.Strip(s, true))), s));
        }

        [Fact]
        public void NoCodeSwallowsEveryExceptionOrCompilesPerFramework()
        {
            var files = SourceText.Files("src", blankStrings: true);
            Assert.True(files.Count > 80, $"{files.Count} source files under src");

            var found = new List<string>();
            foreach (var (path, code) in files)
            {
                foreach (var rule in ForbiddenSource)
                {
                    found.AddRange(rule.Matches(code).Select(m => path + ":" + SourceText.LineOf(code, m.Index) + ": " + m.Value.Trim()));
                }
            }

            Assert.Empty(found);
        }

        private static bool IsCompilerGenerated(MemberInfo member) =>
            member.Name.StartsWith("<", StringComparison.Ordinal)
            || member.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.CompilerGeneratedAttribute");
    }
}
