using System.Collections.Concurrent;

namespace Contiv.Master.Access;

/// <summary>
/// Slows password guessing: after <see cref="AccessSettings.FailedLoginsAllowed"/> failures in a row for a username, or
/// from one client address, every further attempt is refused until a delay has passed that doubles with each
/// failure (up to <see cref="AccessSettings.FailedLoginDelayMax"/>). A successful login clears the username's count.
/// Per master and in memory: a restart forgives, and an attacker spreading over masters meets each one's limit.
/// </summary>
public sealed class LoginThrottle(AccessSettings settings, TimeProvider clock)
{
    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset NotBefore)> _failures = new(StringComparer.Ordinal);

    /// <returns>how long the caller must still wait, or zero</returns>
    public TimeSpan WaitFor(string username, string client)
    {
        var now = clock.GetUtcNow();
        var wait = TimeSpan.Zero;
        foreach (var key in Keys(username, client))
            if (_failures.TryGetValue(key, out var entry) && entry.NotBefore > now && entry.NotBefore - now > wait) wait = entry.NotBefore - now;
        return wait;
    }

    /// <returns>the failures in a row now counted against the username</returns>
    public int Failed(string username, string client)
    {
        if (_failures.Count >= MaxTracked) _failures.Clear();
        var now = clock.GetUtcNow();
        var count = 0;
        foreach (var key in Keys(username, client))
        {
            var updated = _failures.AddOrUpdate(key, _ => Next(0, now), (_, entry) => Next(entry.Failures, now));
            if (key.StartsWith("user:", StringComparison.Ordinal)) count = updated.Failures;
        }
        return count;
    }

    public void Succeeded(string username) => _failures.TryRemove("user:" + username, out _);

    private (int Failures, DateTimeOffset NotBefore) Next(int failures, DateTimeOffset now)
    {
        var count = failures + 1;
        if (count < settings.FailedLoginsAllowed) return (count, now);
        var doublings = Math.Min(count - settings.FailedLoginsAllowed, 16);
        var delay = TimeSpan.FromTicks(Math.Min(settings.FailedLoginDelay.Ticks << doublings, settings.FailedLoginDelayMax.Ticks));
        return (count, now + delay);
    }

    private static string[] Keys(string username, string client) => ["user:" + username, "client:" + client];
}
