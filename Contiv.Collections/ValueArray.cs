using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace Contiv.Collections;

/// <summary>
/// An immutable array that is equal to another with the same elements in the same order, so that a
/// record holding one keeps value equality (an <see cref="ImmutableArray{T}"/> there compares by reference).
/// JSON reads and writes it exactly as an <see cref="ImmutableArray{T}"/>: a plain array.
/// <para>
/// default(ValueArray) is the empty array: a record field left unset reads as empty instead of
/// throwing on its first use, as a default ImmutableArray would. Absence that means something is a
/// nullable field (<c>ValueArray&lt;T&gt;?</c>), as JSON null is.
/// </para>
/// </summary>
[CollectionBuilder(typeof(ValueArray), nameof(ValueArray.Create))]
[JsonConverter(typeof(ValueArrayJsonConverterFactory))]
public readonly struct ValueArray<T> : IReadOnlyList<T>, IEquatable<ValueArray<T>>
{
    public static readonly ValueArray<T> Empty = new(ImmutableArray<T>.Empty);

    private readonly ImmutableArray<T> _items;

    public ValueArray(ImmutableArray<T> items) => _items = items;

    /// <summary>The elements; never a default ImmutableArray.</summary>
    public ImmutableArray<T> Items => _items.IsDefault ? ImmutableArray<T>.Empty : _items;

    public int Length => Items.Length;
    public int Count => Items.Length;
    public bool IsEmpty => Items.IsEmpty;
    public T this[int index] => Items[index];

    public ReadOnlySpan<T> AsSpan() => Items.AsSpan();

    public ImmutableArray<T>.Enumerator GetEnumerator() => Items.GetEnumerator();
    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)Items).GetEnumerator();

    public bool Equals(ValueArray<T> other)
    {
        var mine = Items;
        var theirs = other.Items;
        return mine == theirs || mine.AsSpan().SequenceEqual(theirs.AsSpan(), EqualityComparer<T>.Default);
    }

    public override bool Equals(object? obj) => obj is ValueArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items) hash.Add(item);
        return hash.ToHashCode();
    }

    // Records print their members: show the elements, not the type name.
    public override string ToString() => $"[{string.Join(", ", Items)}]";

    public static bool operator ==(ValueArray<T> left, ValueArray<T> right) => left.Equals(right);
    public static bool operator !=(ValueArray<T> left, ValueArray<T> right) => !left.Equals(right);

    public static implicit operator ValueArray<T>(ImmutableArray<T> items) => new(items);
    public static implicit operator ValueArray<T>(T[] items) => new(ImmutableArray.Create(items));
    public static implicit operator ImmutableArray<T>(ValueArray<T> array) => array.Items;
}

/// <summary>Builds <see cref="ValueArray{T}"/> from collection expressions (<c>[a, b, .. rest]</c>).</summary>
public static class ValueArray
{
    public static ValueArray<T> Create<T>(ReadOnlySpan<T> items) => new(ImmutableArray.Create(items));

    public static ValueArray<T> ToValueArray<T>(this IEnumerable<T> items) => new([.. items]);
}
