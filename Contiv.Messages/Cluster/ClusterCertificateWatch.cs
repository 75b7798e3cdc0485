using Akka.Configuration;

namespace Contiv.Messages.Cluster;

/// <summary>
/// Certificates expire while nodes run for years: a node whose own certificate has expired is refused by every peer, so it
/// does not start; one that will soon (<c>contiv.cluster.tls.expiry-warning</c>) says so at start and twice a day after.
/// </summary>
public static class ClusterCertificateWatch
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(12);

    public static TimeSpan WarnWithin(Config config) => config.GetRequiredTimeSpan("contiv.cluster.tls.expiry-warning");

    /// <summary>Throws <see cref="ClusterTlsException"/> when the node must not start; else the warnings for now.</summary>
    public static IReadOnlyList<string> CheckAtStart(ClusterTls tls, Config config)
    {
        var expiry = tls.Expiry(DateTimeOffset.UtcNow, WarnWithin(config));
        if (expiry.Refusal is not null) throw new ClusterTlsException(expiry.Refusal);
        return expiry.Warnings;
    }

    /// <summary>Writes each warning (to <paramref name="warn"/>) every twelve hours until <paramref name="stopping"/>.</summary>
    public static async Task WarnPeriodicallyAsync(ClusterTls tls, TimeSpan warnWithin, Action<string> warn, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                var expiry = tls.Expiry(DateTimeOffset.UtcNow, warnWithin);
                foreach (var warning in expiry.Warnings.Prepend(expiry.Refusal).OfType<string>()) warn(warning);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
