// SPDX-License-Identifier: MIT
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace BpfFixup.Tests.Architecture;

/// <summary>
/// The namespaces each type of a compiled assembly uses (ECMA-335 metadata, read with System.Reflection.Metadata):
/// its base type and interfaces, the signatures of its fields, methods, properties and events, generic constraints,
/// custom attributes, and every type, field and method token of its method bodies' IL and their locals. A nested or
/// compiler-generated type (a lambda's closure, an iterator) counts as its outermost declaring type. This sees what
/// the source scan cannot (a parent namespace's types used unqualified, types inferred by <c>var</c>); constants the
/// compiler inlined leave no token, which the source scan's <c>using</c> directives cover.
/// </summary>
internal static class MetadataReferences
{
    private static readonly OpCode[] OneByte = new OpCode[256];
    private static readonly OpCode[] TwoByte = new OpCode[256];

#pragma warning disable CA1810 // the opcode tables are filled once from System.Reflection.Emit.OpCodes
    static MetadataReferences()
#pragma warning restore CA1810
    {
        foreach (var f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)f.GetValue(null)!;
            ushort v = (ushort)op.Value;
            if (op.Size == 1)
            {
                OneByte[v] = op;
            }
            else
            {
                TwoByte[v & 0xFF] = op;
            }
        }
    }

    /// <summary>The edges of every type of the assembly at <paramref name="path"/> to namespaces that start with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<NamespaceEdge> Edges(string path, string prefix)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var edges = new List<NamespaceEdge>();
        foreach (var handle in md.TypeDefinitions)
        {
            var (from, name) = Outermost(md, handle);
            if (!from.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var collector = new Collector(md);
            collector.Type(handle, pe);
            edges.AddRange(collector.Namespaces.Where(ns => ns.StartsWith(prefix, StringComparison.Ordinal))
                .Select(to => new NamespaceEdge(from, to, $"{Path.GetFileName(path)}: {from}.{name}")));
        }

        return edges;
    }

    private static (string Namespace, string Name) Outermost(MetadataReader md, TypeDefinitionHandle handle)
    {
        var t = md.GetTypeDefinition(handle);
        while (!t.GetDeclaringType().IsNil)
        {
            t = md.GetTypeDefinition(t.GetDeclaringType());
        }

        return (md.GetString(t.Namespace), md.GetString(t.Name));
    }

    private static string NamespaceOf(MetadataReader md, TypeReferenceHandle handle)
    {
        var r = md.GetTypeReference(handle);
        while (r.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            r = md.GetTypeReference((TypeReferenceHandle)r.ResolutionScope);
        }

        return md.GetString(r.Namespace);
    }

    /// <summary>Collects the namespaces one type definition uses; decodes signatures as a side effect of <see cref="ISignatureTypeProvider{TType, TGenericContext}"/>.</summary>
    private sealed class Collector(MetadataReader md) : ISignatureTypeProvider<int, object?>
    {
        public HashSet<string> Namespaces { get; } = new(StringComparer.Ordinal);

        public void Type(TypeDefinitionHandle handle, PEReader pe)
        {
            var t = md.GetTypeDefinition(handle);
            Entity(t.BaseType);
            foreach (var i in t.GetInterfaceImplementations())
            {
                Entity(md.GetInterfaceImplementation(i).Interface);
            }

            Attributes(t.GetCustomAttributes());
            Constraints(t.GetGenericParameters());
            foreach (var fh in t.GetFields())
            {
                var f = md.GetFieldDefinition(fh);
                f.DecodeSignature(this, null);
                Attributes(f.GetCustomAttributes());
            }

            foreach (var ph in t.GetProperties())
            {
                var p = md.GetPropertyDefinition(ph);
                p.DecodeSignature(this, null);
                Attributes(p.GetCustomAttributes());
            }

            foreach (var eh in t.GetEvents())
            {
                Entity(md.GetEventDefinition(eh).Type);
            }

            foreach (var mh in t.GetMethods())
            {
                var m = md.GetMethodDefinition(mh);
                m.DecodeSignature(this, null);
                Attributes(m.GetCustomAttributes());
                Constraints(m.GetGenericParameters());
                foreach (var parameter in m.GetParameters())
                {
                    Attributes(md.GetParameter(parameter).GetCustomAttributes());
                }

                if (m.RelativeVirtualAddress != 0)
                {
                    Body(pe.GetMethodBody(m.RelativeVirtualAddress));
                }
            }
        }

        private void Attributes(CustomAttributeHandleCollection attributes)
        {
            foreach (var a in attributes)
            {
                Entity(md.GetCustomAttribute(a).Constructor);
            }
        }

        private void Constraints(GenericParameterHandleCollection parameters)
        {
            foreach (var gp in parameters)
            {
                foreach (var c in md.GetGenericParameter(gp).GetConstraints())
                {
                    Entity(md.GetGenericParameterConstraint(c).Type);
                }
            }
        }

        private void Body(MethodBodyBlock body)
        {
            if (!body.LocalSignature.IsNil)
            {
                _ = md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null);
            }

            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                byte b = il.ReadByte();
                var op = b == 0xFE ? TwoByte[il.ReadByte()] : OneByte[b];
                switch (op.OperandType)
                {
                    case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                        Entity(MetadataTokens.EntityHandle(il.ReadInt32()));
                        break;
                    case OperandType.InlineSwitch:
                        int targets = il.ReadInt32(); // read first: `Offset += 4 * ReadInt32()` would read Offset before the count
                        il.Offset += 4 * targets;
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    default: // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
                        il.Offset += 4;
                        break;
                }
            }
        }

        private void Entity(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    Namespaces.Add(Outermost(md, (TypeDefinitionHandle)handle).Namespace);
                    break;
                case HandleKind.TypeReference:
                    Namespaces.Add(NamespaceOf(md, (TypeReferenceHandle)handle));
                    break;
                case HandleKind.TypeSpecification:
                    _ = md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.FieldDefinition:
                    Entity(md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.MethodDefinition:
                    Entity(md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.MemberReference:
                    var member = md.GetMemberReference((MemberReferenceHandle)handle);
                    Entity(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method)
                    {
                        _ = member.DecodeMethodSignature(this, null);
                    }
                    else
                    {
                        _ = member.DecodeFieldSignature(this, null);
                    }

                    break;
                case HandleKind.MethodSpecification:
                    var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Entity(spec.Method);
                    _ = spec.DecodeSignature(this, null);
                    break;
            }
        }

        public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            Entity(handle);
            return 0;
        }

        public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            Entity(handle);
            return 0;
        }

        public int GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
        {
            Entity(handle);
            return 0;
        }

        public int GetSZArrayType(int elementType) => 0;

        public int GetArrayType(int elementType, ArrayShape shape) => 0;

        public int GetByReferenceType(int elementType) => 0;

        public int GetPointerType(int elementType) => 0;

        public int GetPinnedType(int elementType) => 0;

        public int GetGenericInstantiation(int genericType, ImmutableArray<int> typeArguments) => 0;

        public int GetGenericMethodParameter(object? genericContext, int index) => 0;

        public int GetGenericTypeParameter(object? genericContext, int index) => 0;

        public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => 0;

        public int GetFunctionPointerType(MethodSignature<int> signature) => 0;

        public int GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;
    }
}
