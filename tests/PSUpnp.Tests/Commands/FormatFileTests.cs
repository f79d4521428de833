using System;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Surface
{
    [Collection(BuiltModuleCollection.Name)]
    public sealed class FormatFileTests
    {
        private const int ConsoleWidth = 120;
        private readonly BuiltModule _module;
        private readonly XDocument _format;

        public FormatFileTests(BuiltModule module)
        {
            _module = module;
            _format = XDocument.Load(RepoPaths.Combine("module", "PSUpnp.Format.ps1xml"));
        }

        [Fact]
        public void ThereIsATableViewForEachOutputType()
        {
            var tabled = _format.Descendants("View").Where(v => v.Element("TableControl") != null).Select(TypeOf).OrderBy(t => t, StringComparer.Ordinal);
            var viewed = _format.Descendants("TypeName").Select(t => t.Value.Trim()).Distinct().OrderBy(t => t, StringComparer.Ordinal);

            Assert.Equal(Outputs(), tabled);
            Assert.Equal(Outputs(), viewed);
        }

        [Fact]
        public void TheOneRichResultOfTestNatTypeShowsAsAListByDefaultAndAsATableOnRequest()
        {
            // PowerShell uses a type's first view by default, and Format-Table its first table view.
            var views = _format.Descendants("View").Where(v => TypeOf(v) == "PSUpnp.NatTypeResult").ToList();

            Assert.Equal(2, views.Count);
            Assert.NotNull(views[0].Element("ListControl"));
            Assert.NotNull(views[1].Element("TableControl"));
            Assert.Equal(
                new[] { "NatType", "Verdict", "MappingBehavior", "FilteringBehavior", "Hairpinning", "LocalEndpoint", "PublicEndpoint", "GatewayExternalAddress", "DoubleNat", "Server", "Reason" },
                views[0].Descendants("ListItem").Select(i => (i.Element("Label") ?? i.Element("PropertyName"))!.Value.Trim()));
        }

        [Fact]
        public void TestUpnpPortMappingShowsItsDiagnosisAsAListByDefaultAndAsATableOnRequest()
        {
            var views = _format.Descendants("View").Where(v => TypeOf(v) == "PSUpnp.PortMappingDiagnosis").ToList();

            Assert.Equal(2, views.Count);
            Assert.NotNull(views[0].Element("ListControl"));
            Assert.NotNull(views[1].Element("TableControl"));
            Assert.Equal(
                new[] { "Verdict", "Mapping", "Addresses", "Checks" },
                views[0].Descendants("ListItem").Select(i => (i.Element("Label") ?? i.Element("PropertyName"))!.Value.Trim()));
        }

        [Fact]
        public void ViewsNameOnlyTypesAndPropertiesThatExist()
        {
            var views = _format.Descendants("View").ToList();
            Assert.Equal(7, views.Count);
            foreach (var view in views)
            {
                var typeName = view.Descendants("TypeName").Single().Value.Trim();
                var type = _module.Core.GetType(typeName);
                Assert.True(type != null, $"{typeName} is not a type of PSUpnp.Core");

                var items = view.Descendants("TableColumnItem").ToList();
                Assert.Equal(view.Descendants("TableColumnHeader").Count(), items.Count);
                Assert.All(view.Descendants("ListItem"), i => Assert.True(i.Element("PropertyName") != null || i.Element("ScriptBlock") != null, $"{typeName}: a list item that shows nothing"));
                foreach (var property in view.Descendants("PropertyName"))
                {
                    Assert.True(type!.GetProperty(property.Value.Trim()) != null, $"{typeName} has no property {property.Value}");
                }

                foreach (var script in view.Descendants("ScriptBlock"))
                {
                    var chains = Regex.Matches(script.Value, @"\$_((?:\.[A-Za-z]\w*)+)");
                    Assert.True(chains.Count > 0, $"{typeName}: a script block that reads no property: {script.Value}");
                    foreach (Match chain in chains)
                    {
                        AssertPropertyChain(type!, chain.Groups[1].Value.Split('.', StringSplitOptions.RemoveEmptyEntries), script.Value);
                    }
                }
            }
        }

        [Fact]
        public void EveryTableFitsA120ColumnConsole()
        {
            var tables = _format.Descendants("TableControl").ToList();
            Assert.Equal(5, tables.Count);
            foreach (var table in tables)
            {
                var headers = table.Descendants("TableColumnHeader").ToList();
                Assert.All(headers, h => Assert.NotNull(h.Element("Width")));
                var width = headers.Sum(h => int.Parse(h.Element("Width")!.Value, System.Globalization.CultureInfo.InvariantCulture)) + headers.Count - 1;
                Assert.True(width < ConsoleWidth, $"a table is {width} columns wide");
                Assert.All(headers, h => Assert.True(h.Element("Label")!.Value.Length <= int.Parse(h.Element("Width")!.Value, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        private static string TypeOf(XElement view) => view.Descendants("TypeName").Single().Value.Trim();

        private IOrderedEnumerable<string> Outputs() =>
            _module.Commands.SelectMany(c => c.OutputTypes.Cast<Type>()).Select(t => t.FullName!).Distinct().OrderBy(t => t, StringComparer.Ordinal);

        private static void AssertPropertyChain(Type type, string[] names, string script)
        {
            var current = type;
            foreach (var name in names)
            {
                var property = current.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
                if (property == null)
                {
                    // A method call (ToString) ends the chain of properties.
                    Assert.True(current.GetMethods().Any(m => m.Name == name), $"{current.Name} has no property {name}: {script}");
                    return;
                }

                current = property.PropertyType.IsGenericType ? property.PropertyType.GetGenericArguments()[0] : property.PropertyType;
            }
        }
    }
}
