using Akka.Configuration;
using Contiv.Messages.Cluster;

namespace Contiv.Master.Access;

/// <summary>Login and token tunables, from <c>contiv.master.auth</c> (hocon/master.hocon).</summary>
public sealed record AccessSettings(
    TimeSpan TokenLifetime,
    TimeSpan CacheTtl,
    int PasswordIterations,
    int MaxPasswordLength,
    int FailedLoginsAllowed,
    TimeSpan FailedLoginDelay,
    TimeSpan FailedLoginDelayMax)
{
    public static AccessSettings From(Config config) => new(
        config.GetRequiredTimeSpan("contiv.master.auth.token-lifetime"),
        config.GetRequiredTimeSpan("contiv.master.auth.cache-ttl"),
        config.GetRequiredInt("contiv.master.auth.password-iterations"),
        config.GetRequiredInt("contiv.master.auth.max-password-length"),
        config.GetRequiredInt("contiv.master.auth.failed-logins-allowed"),
        config.GetRequiredTimeSpan("contiv.master.auth.failed-login-delay"),
        config.GetRequiredTimeSpan("contiv.master.auth.failed-login-delay-max"));
}
