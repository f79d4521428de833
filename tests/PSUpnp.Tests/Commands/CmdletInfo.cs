using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace PSUpnp.Tests.Surface
{
    /// <summary>What a cmdlet class declares through its attributes, read without loading PowerShell.</summary>
    public sealed class CmdletInfo
    {
        private CmdletInfo(Type type, CustomAttributeData cmdlet)
        {
            Type = type;
            Verb = (string)cmdlet.ConstructorArguments[0].Value!;
            Noun = (string)cmdlet.ConstructorArguments[1].Value!;
            SupportsShouldProcess = Named(cmdlet, "SupportsShouldProcess") is true;
            ConfirmImpact = Named(cmdlet, "ConfirmImpact") is int impact ? impact : (int?)null;
            OutputTypes = type.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute")
                .SelectMany(a => a.ConstructorArguments)
                .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { arg.Value })
                .ToList()!;
            Parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (Property: p, Attributes: p.GetCustomAttributesData().Where(IsParameterAttribute).ToList()))
                .Where(p => p.Attributes.Count > 0)
                .Select(p => new ParameterInfo(p.Property, p.Attributes))
                .ToList();
        }

        public Type Type { get; }

        public string Verb { get; }

        public string Noun { get; }

        public string Name => Verb + "-" + Noun;

        public bool SupportsShouldProcess { get; }

        /// <summary>The ConfirmImpact enum's value when the attribute names one.</summary>
        public int? ConfirmImpact { get; }

        /// <summary>Each OutputType entry: a Type when given as typeof, a string when given by name.</summary>
        public IReadOnlyList<object> OutputTypes { get; }

        public IReadOnlyList<ParameterInfo> Parameters { get; }

        public static CmdletInfo? From(Type type)
        {
            var cmdlet = type.GetCustomAttributesData()
                .SingleOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");
            return cmdlet == null ? null : new CmdletInfo(type, cmdlet);
        }

        private static bool IsParameterAttribute(CustomAttributeData a) =>
            a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute";

        internal static object? Named(CustomAttributeData attribute, string name) =>
            attribute.NamedArguments.Where(n => n.MemberName == name).Select(n => n.TypedValue.Value).FirstOrDefault();
    }

    public sealed class ParameterInfo
    {
        public ParameterInfo(PropertyInfo property, IReadOnlyList<CustomAttributeData> parameterAttributes)
        {
            Property = property;
            Sets = parameterAttributes;
        }

        public PropertyInfo Property { get; }

        public string Name => Property.Name;

        /// <summary>One [Parameter] attribute per parameter set.</summary>
        public IReadOnlyList<CustomAttributeData> Sets { get; }

        public bool Mandatory => Sets.Any(s => CmdletInfo.Named(s, "Mandatory") is true);

        /// <summary>Null when named only.</summary>
        public int? Position => Sets.Select(s => CmdletInfo.Named(s, "Position")).OfType<int>().Cast<int?>().FirstOrDefault();

        public bool ByValue => Sets.Any(s => CmdletInfo.Named(s, "ValueFromPipeline") is true);

        public bool ByPropertyName => Sets.Any(s => CmdletInfo.Named(s, "ValueFromPipelineByPropertyName") is true);

        /// <summary>The type name as platyPS writes it: Nullable unwrapped, arrays with [].</summary>
        public string TypeName
        {
            get
            {
                var type = Property.PropertyType;
                if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1")
                {
                    type = type.GetGenericArguments()[0];
                }

                return type.Name;
            }
        }
    }
}
