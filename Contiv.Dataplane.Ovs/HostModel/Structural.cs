using System.Collections.Immutable;

namespace Contiv.Dataplane.Ovs.HostModel;

/// <summary>Value equality for the immutable collections the host model holds.</summary>
internal static class Structural
{
    public static bool Equal<TKey, TValue>(ImmutableSortedDictionary<TKey, TValue> a, ImmutableSortedDictionary<TKey, TValue> b)
        where TKey : notnull
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.Count != b.Count) return false;
        var comparer = EqualityComparer<TValue>.Default;
        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !comparer.Equals(value, other)) return false;
        }
        return true;
    }

    public static bool Equal<TKey, T>(ImmutableSortedDictionary<TKey, ImmutableSortedSet<T>> a, ImmutableSortedDictionary<TKey, ImmutableSortedSet<T>> b)
        where TKey : notnull
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.Count != b.Count) return false;
        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !value.SetEquals(other)) return false;
        }
        return true;
    }
}
