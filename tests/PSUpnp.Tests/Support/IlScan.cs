using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace PSUpnp.Tests.CodeRules
{
    /// <summary>One method call found in a method body: who calls what.</summary>
    public sealed class IlCall
    {
        public IlCall(string caller, string targetType, string targetName)
        {
            Caller = caller;
            TargetType = targetType;
            TargetName = targetName;
        }

        /// <summary>Declaring type and name of the calling method, e.g. PSUpnp.Igd.GatewayLocator/&lt;FindAsync&gt;d__1::MoveNext.</summary>
        public string Caller { get; }

        /// <summary>The called method's declaring type, generic arguments dropped: System.Threading.Tasks.Task`1.</summary>
        public string TargetType { get; }

        public string TargetName { get; }

        public override string ToString() => Caller + " calls " + TargetType + "::" + TargetName;
    }

    /// <summary>
    /// Reads an assembly's method bodies as IL (System.Reflection.Metadata, nothing loaded or executed) and lists the
    /// calls they make. What the compiler made of the source is what runs: an await without ConfigureAwait(false) is a
    /// call to Task.GetAwaiter, a .Result a call to Task`1.get_Result, whatever the source looked like.
    /// </summary>
    public sealed class IlScan
    {
        private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => (ushort)o.Value);

        private IlScan(IReadOnlyList<IlCall> calls, IReadOnlyList<string> typeReferences, IReadOnlyList<string> assemblyReferences)
        {
            Calls = calls;
            TypeReferences = typeReferences;
            AssemblyReferences = assemblyReferences;
        }

        public IReadOnlyList<IlCall> Calls { get; }

        /// <summary>Every type the assembly refers to in another assembly, as Namespace.Name.</summary>
        public IReadOnlyList<string> TypeReferences { get; }

        public IReadOnlyList<string> AssemblyReferences { get; }

        public static IlScan Of(string assemblyPath)
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            var md = pe.GetMetadataReader();
            var names = new TypeNames(md);
            var calls = new List<IlCall>();
            foreach (var typeHandle in md.TypeDefinitions)
            {
                var type = md.GetTypeDefinition(typeHandle);
                var typeName = names.Of(typeHandle);
                foreach (var methodHandle in type.GetMethods())
                {
                    var method = md.GetMethodDefinition(methodHandle);
                    if (method.RelativeVirtualAddress == 0)
                    {
                        continue;
                    }

                    var caller = typeName + "::" + md.GetString(method.Name);
                    ReadCalls(pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader(), md, names, caller, calls);
                }
            }

            var typeReferences = md.TypeReferences.Select(h => names.Of(h)).ToList();
            var assemblies = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
            return new IlScan(calls, typeReferences, assemblies);
        }

        private static void ReadCalls(BlobReader il, MetadataReader md, TypeNames names, string caller, List<IlCall> calls)
        {
            while (il.RemainingBytes > 0)
            {
                ushort value = il.ReadByte();
                if (value == 0xFE)
                {
                    value = (ushort)(0xFE00 | il.ReadByte());
                }

                var op = OpCodesByValue[value];
                if (op.OperandType == OperandType.InlineMethod)
                {
                    var (type, name) = names.OfMethod(MetadataTokens.EntityHandle(il.ReadInt32()));
                    calls.Add(new IlCall(caller, type, name));
                }
                else
                {
                    Skip(ref il, op.OperandType);
                }
            }
        }

        private static void Skip(ref BlobReader il, OperandType operand)
        {
            switch (operand)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    var count = il.ReadInt32();
                    il.Offset += 4 * count;
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }

        /// <summary>Names of types and methods from metadata handles, generic arguments left out.</summary>
        private sealed class TypeNames : ISignatureTypeProvider<string, object?>
        {
            private readonly MetadataReader _md;

            public TypeNames(MetadataReader md) => _md = md;

            public string Of(TypeDefinitionHandle handle)
            {
                var type = _md.GetTypeDefinition(handle);
                var name = _md.GetString(type.Name);
                var declaring = type.GetDeclaringType();
                return declaring.IsNil ? Join(_md.GetString(type.Namespace), name) : Of(declaring) + "/" + name;
            }

            public string Of(TypeReferenceHandle handle)
            {
                var type = _md.GetTypeReference(handle);
                var name = _md.GetString(type.Name);
                return type.ResolutionScope.Kind == HandleKind.TypeReference
                    ? Of((TypeReferenceHandle)type.ResolutionScope) + "/" + name
                    : Join(_md.GetString(type.Namespace), name);
            }

            public (string Type, string Name) OfMethod(EntityHandle handle)
            {
                switch (handle.Kind)
                {
                    case HandleKind.MethodDefinition:
                        var definition = _md.GetMethodDefinition((MethodDefinitionHandle)handle);
                        return (Of(definition.GetDeclaringType()), _md.GetString(definition.Name));
                    case HandleKind.MemberReference:
                        var reference = _md.GetMemberReference((MemberReferenceHandle)handle);
                        return (OfParent(reference.Parent), _md.GetString(reference.Name));
                    case HandleKind.MethodSpecification:
                        return OfMethod(_md.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
                    default:
                        return ("?", "?");
                }
            }

            public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

            public string GetByReferenceType(string elementType) => elementType + "&";

            public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

            public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType;

            public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

            public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

            public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

            public string GetPinnedType(string elementType) => elementType;

            public string GetPointerType(string elementType) => elementType + "*";

            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

            public string GetSZArrayType(string elementType) => elementType + "[]";

            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Of(handle);

            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Of(handle);

            public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
                reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

            private string OfParent(EntityHandle parent) => parent.Kind switch
            {
                HandleKind.TypeDefinition => Of((TypeDefinitionHandle)parent),
                HandleKind.TypeReference => Of((TypeReferenceHandle)parent),
                HandleKind.TypeSpecification => _md.GetTypeSpecification((TypeSpecificationHandle)parent).DecodeSignature(this, null),
                HandleKind.MethodDefinition => Of(_md.GetMethodDefinition((MethodDefinitionHandle)parent).GetDeclaringType()),
                _ => "?",
            };

            private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
        }
    }
}
