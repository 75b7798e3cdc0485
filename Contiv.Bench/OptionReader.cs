using System.Globalization;

namespace Contiv.Bench;

/// <summary>Walks "--name value" arguments; every complaint is an <see cref="ArgumentException"/> naming the option.</summary>
public sealed class OptionReader(IReadOnlyList<string> args)
{
    private int _next;

    /// <summary>The option being read.</summary>
    public string Name { get; private set; } = "";

    public bool MoveNext()
    {
        if (_next >= args.Count) return false;
        Name = args[_next++];
        return true;
    }

    public string Value()
    {
        if (_next >= args.Count) throw new ArgumentException($"{Name} needs a value");
        return args[_next++];
    }

    public int Int(int min, int max)
    {
        var text = Value();
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new ArgumentException($"{Name} must be an integer in {min}..{max}, not '{text}'");
        return v;
    }

    public ArgumentException Unknown() => new($"unknown option '{Name}'");
}
