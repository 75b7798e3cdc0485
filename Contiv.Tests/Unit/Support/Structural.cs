using System.Collections;
using System.Reflection;
using System.Text.Json.Serialization;
using Xunit.Sdk;

namespace Contiv.Tests.Unit.Support;

/// <summary>
/// Value comparison of message records by their public properties, element by element for sequences:
/// records holding ImmutableArray (snapshots, wire messages) compare by reference with ==, so they need this.
/// </summary>
public static class Structural
{
    public static void AssertEqual(object? expected, object? actual) => Compare(expected, actual, expected?.GetType().Name ?? "value");

    /// <summary>Fails when a stored (not [JsonIgnore]) property anywhere in the graph is null, default or an empty list.</summary>
    public static void AssertFullyPopulated(object value) => Populated(value, value.GetType().Name);

    private static void Compare(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            if (expected is not null || actual is not null) throw Fail(path, expected, actual);
            return;
        }
        if (expected.GetType() != actual.GetType())
            throw new XunitException($"{path}: type {expected.GetType().Name} expected, got {actual.GetType().Name}");
        if (IsScalar(expected.GetType()))
        {
            if (!expected.Equals(actual)) throw Fail(path, expected, actual);
            return;
        }
        if (IsDefaultImmutableArray(expected) || IsDefaultImmutableArray(actual))
        {
            if (IsDefaultImmutableArray(expected) != IsDefaultImmutableArray(actual)) throw Fail(path, expected, actual);
            return;
        }
        if (expected is IEnumerable expectedItems)
        {
            var left = expectedItems.Cast<object?>().ToList();
            var right = ((IEnumerable)actual).Cast<object?>().ToList();
            if (left.Count != right.Count) throw new XunitException($"{path}: {left.Count} items expected, got {right.Count}");
            for (var i = 0; i < left.Count; i++) Compare(left[i], right[i], $"{path}[{i}]");
            return;
        }
        foreach (var property in Properties(expected.GetType()))
            Compare(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
    }

    private static void Populated(object? value, string path)
    {
        if (value is null) throw new XunitException($"{path} is null: the sample must set every field");
        var type = value.GetType();
        if (type.IsValueType && value is not IEnumerable && value.Equals(Activator.CreateInstance(type)))
            throw new XunitException($"{path} is {value}, the default: the sample must set every field");
        if (value is string text)
        {
            if (text.Length == 0) throw new XunitException($"{path} is empty");
            return;
        }
        if (IsScalar(type)) return;
        if (IsDefaultImmutableArray(value)) throw new XunitException($"{path} is a default ImmutableArray");
        if (value is IEnumerable items)
        {
            var list = items.Cast<object?>().ToList();
            if (list.Count == 0) throw new XunitException($"{path} is an empty list: the sample must hold items");
            for (var i = 0; i < list.Count; i++) Populated(list[i], $"{path}[{i}]");
            return;
        }
        foreach (var property in Properties(type).Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null))
            Populated(property.GetValue(value), $"{path}.{property.Name}");
    }

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0);

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
        || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(TimeSpan);

    private static bool IsImmutableArray(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(System.Collections.Immutable.ImmutableArray<>);

    private static bool IsDefaultImmutableArray(object value) =>
        IsImmutableArray(value.GetType()) && (bool)value.GetType().GetProperty("IsDefault")!.GetValue(value)!;

    private static XunitException Fail(string path, object? expected, object? actual) =>
        new($"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
}
