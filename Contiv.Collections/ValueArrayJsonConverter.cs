using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Contiv.Collections;

/// <summary>
/// Reads and writes a <see cref="ValueArray{T}"/> through System.Text.Json's own ImmutableArray
/// handling, so that the bytes (element converters, polymorphism, options) are those an
/// ImmutableArray field wrote: journals written before the switch read unchanged.
/// </summary>
public sealed class ValueArrayJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ValueArray<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ValueArrayJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}

public sealed class ValueArrayJsonConverter<T> : JsonConverter<ValueArray<T>>
{
    public override ValueArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Thrown without a path, so the serializer names the field (an API client is told which field is wrong).
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException();
        try
        {
            return JsonSerializer.Deserialize<ImmutableArray<T>>(ref reader, options);
        }
        catch (JsonException inner)
        {
            throw new JsonException(inner.Message, null, null, null, inner);
        }
    }

    public override void Write(Utf8JsonWriter writer, ValueArray<T> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Items, options);
}
