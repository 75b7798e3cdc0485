using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Contiv.Messages.Model;

namespace Contiv.Messages.Validation;

/// <summary>
/// Field validation of configuration objects against <see cref="FieldRules"/>. Pure: no lookups of
/// other objects (those are semantic checks). Validate the normalized object
/// (<see cref="ModelDefaults.Normalize{T}"/>), so that defaults such as rule priority 1 apply first.
/// </summary>
public static class ModelValidator
{
    /// <summary>
    /// The first problem of <paramref name="obj"/>, or null if it is valid. Missing key fields
    /// come first (<c>&lt;field&gt; is required</c>); then the rules in order: a string that is too
    /// long (<c>&lt;field&gt; string too long</c>, length in UTF-8 bytes) or does not match
    /// (<c>&lt;field&gt; string invalid format</c>), an int out of range
    /// (<c>&lt;field&gt; Value Out of bound</c>). A required field that is null or empty is refused
    /// naming the object and what the field must hold (<c>rule t1:p1:1: action is required (allow or deny)</c>);
    /// other null and empty strings and lists are not checked.
    /// </summary>
    public static ValidationError? Validate(IConfigObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);

        foreach (var key in obj.Kind.KeyFields())
        {
            if (string.IsNullOrEmpty(FieldRules.KeyRule(obj.Kind, key).Get(obj)))
                return new ValidationError(key, $"{key} is required");
        }

        foreach (var rule in FieldRules.For(obj.Kind))
        {
            var error = rule switch
            {
                StringRule { Required: true } s when string.IsNullOrEmpty(s.Get(obj)) => Missing(obj, s),
                StringRule s => CheckString(s.Field, s.Get(obj), s.Format, s.MaxLength),
                IntRule i => CheckInt(i, i.Get(obj)),
                StringListRule l => CheckList(l, l.Get(obj)),
                _ => throw new InvalidOperationException($"unknown rule type {rule.GetType().Name}"),
            };
            if (error is not null) return error;
        }
        return null;
    }

    private static ValidationError Missing(IConfigObject obj, StringRule rule) =>
        new(rule.Field, $"{obj.Kind.TypeName()} {obj.Key}: {rule.Field} is required ({rule.Expected})");

    private static ValidationError? CheckString(string field, string? value, Regex? format, int? maxLength)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (maxLength is { } max && Encoding.UTF8.GetByteCount(value) > max)
            return new ValidationError(field, $"{field} string too long");
        if (format is not null && !format.IsMatch(value))
            return new ValidationError(field, $"{field} string invalid format");
        return null;
    }

    private static ValidationError? CheckInt(IntRule rule, int value) =>
        value < rule.Min || value > rule.Max
            ? new ValidationError(rule.Field, $"{rule.Field} Value Out of bound")
            : null;

    private static ValidationError? CheckList(StringListRule rule, ImmutableArray<string>? values)
    {
        if (values is not { IsDefault: false } items) return null;
        foreach (var item in items)
        {
            if (string.IsNullOrEmpty(item))
                return new ValidationError(rule.Field, $"{rule.Field} string invalid format");
            var error = CheckString(rule.Field, item, rule.ElementFormat, rule.ElementMaxLength);
            if (error is not null) return error;
        }
        return null;
    }
}
