// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// A call context's identity in the analysis's tables: the function and its five entry arguments, with their hash
/// mixed once when the key is made. A value type with its own equality, so a lookup neither allocates nor goes
/// through the default comparers of a tuple (which hashed the function through <see cref="object.GetHashCode"/> and
/// the arguments again at every probe: several per cent of <c>check</c> on an object of 2,000 programs).
/// </summary>
internal readonly struct ContextKey : IEquatable<ContextKey>
{
    private readonly int hash;

    /// <summary>The key of <paramref name="function"/> entered with <paramref name="args"/>.</summary>
    public ContextKey(BpfFunction function, in TypeAnalyzer.ArgsKey args)
    {
        Function = function;
        Args = args;
        hash = unchecked((args.GetHashCode() * 31) + function.Index);
    }

    /// <summary>The function.</summary>
    public BpfFunction Function { get; }

    /// <summary>R1-R5 at entry.</summary>
    public TypeAnalyzer.ArgsKey Args { get; }

    /// <summary>The same function (the object) with equal arguments.</summary>
    public bool Equals(ContextKey other) => hash == other.hash && ReferenceEquals(Function, other.Function) && Args.Equals(other.Args);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ContextKey k && Equals(k);

    /// <inheritdoc />
    public override int GetHashCode() => hash;
}
