using Contiv.Master.Access;
using Contiv.Master.Entities.Access;
using Contiv.Messages.Access;
using Contiv.Messages.Api;
using Xunit;

namespace Contiv.Tests.Unit.Access;

/// <summary>The access entity's pure rules: users, authorizations and sessions, decided and applied without an actor.</summary>
[Trait("Category", "Auth")]
public sealed class AccessStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly LocalUser Admin = new("admin", Roles.Admin, false, "hash-a");
    private static readonly LocalUser Ops = new("ops1", Roles.Ops, false, "hash-o");

    private static AccessState Apply(AccessState state, Contiv.Master.Entities.Decision<IAccessEvent> decision)
    {
        Assert.False(decision.Refused, $"refused: {decision.Reply}");
        return decision.Events.Aggregate(state, (s, e) => s.Apply(e));
    }

    private static AccessState WithUsers()
    {
        var state = Apply(AccessState.Empty, AccessState.Empty.Decide(new EnsureFirstAdmin(Admin)));
        return Apply(state, state.Decide(new SaveUser(Ops, CreateOnly: true)));
    }

    [Fact]
    public void The_first_admin_is_made_only_while_there_is_no_user()
    {
        var first = AccessState.Empty.Decide(new EnsureFirstAdmin(Admin));
        Assert.Equal(new FirstAdmin(true), first.Reply);
        var state = Apply(AccessState.Empty, first);
        var again = state.Decide(new EnsureFirstAdmin(Admin with { PasswordHash = "another" }));
        Assert.Equal(new FirstAdmin(false), again.Reply);
        Assert.True(again.Events.IsEmpty);
        Assert.Equal("hash-a", state.Users["admin"].PasswordHash);
    }

    [Fact]
    public void An_update_without_a_password_keeps_the_stored_hash_and_a_create_of_an_existing_user_conflicts()
    {
        var state = WithUsers();
        var updated = Apply(state, state.Decide(new SaveUser(Ops with { PasswordHash = "", FirstName = "Olga" }, CreateOnly: false)));
        Assert.Equal("hash-o", updated.Users["ops1"].PasswordHash);
        Assert.Equal("Olga", updated.Users["ops1"].FirstName);
        Assert.Equal(ApiErrorKind.Conflict, Assert.IsType<ApiError>(state.Decide(new SaveUser(Ops, CreateOnly: true)).Reply).Kind);
        Assert.Equal(ApiErrorKind.NotFound, Assert.IsType<ApiError>(state.Decide(new SaveUser(Ops with { Username = "x" }, CreateOnly: false)).Reply).Kind);
    }

    [Fact]
    public void The_last_enabled_admin_can_be_neither_deleted_nor_disabled_nor_demoted()
    {
        var state = WithUsers();
        Assert.Contains("last enabled admin", Assert.IsType<ApiError>(state.DecideDelete(new DeleteUser("admin")).Reply).Message);
        Assert.True(state.Decide(new SaveUser(Admin with { Disabled = true }, false)).Refused);
        Assert.True(state.Decide(new SaveUser(Admin with { Role = Roles.Ops }, false)).Refused);
        var twoAdmins = Apply(state, state.Decide(new SaveUser(Ops with { Role = Roles.Admin }, false)));
        Assert.False(twoAdmins.DecideDelete(new DeleteUser("admin")).Refused);
    }

    [Fact]
    public void A_session_names_the_user_its_role_and_tenants_until_it_expires_is_closed_or_its_user_goes()
    {
        var state = WithUsers();
        state = Apply(state, state.Decide(new AddAuthorization(new TenantAuthorization("a1", "ops1", Roles.Ops, "t2"))));
        state = Apply(state, state.Decide(new AddAuthorization(new TenantAuthorization("a2", "ops1", Roles.Ops, "t1"))));
        state = Apply(state, state.Decide(new OpenSession(new Session("h1", "ops1", Now.AddHours(1)), Now)));

        var principal = Assert.IsType<Principal>(state.Authenticate(new Authenticate("h1", Now)));
        Assert.Equal(["t1", "t2"], principal.Tenants);
        Assert.Equal(Roles.Ops, principal.Role);
        Assert.Contains("expired", Assert.IsType<ApiError>(state.Authenticate(new Authenticate("h1", Now.AddHours(1)))).Message);
        Assert.Equal(ApiErrorKind.Unauthenticated, Assert.IsType<ApiError>(state.Authenticate(new Authenticate("h2", Now))).Kind);

        var closed = Apply(state, state.Decide(new CloseSession("h1")));
        Assert.IsType<ApiError>(closed.Authenticate(new Authenticate("h1", Now)));
        var deleted = Apply(state, state.DecideDelete(new DeleteUser("ops1")));
        Assert.IsType<ApiError>(deleted.Authenticate(new Authenticate("h1", Now)));
        Assert.Empty(deleted.Authorizations);
        Assert.Empty(deleted.Sessions);
    }

    [Fact]
    public void Opening_a_session_drops_the_expired_ones_so_logins_do_not_grow_the_state()
    {
        var state = WithUsers();
        state = Apply(state, state.Decide(new OpenSession(new Session("old", "ops1", Now.AddMinutes(-1)), Now.AddHours(-1))));
        var decision = state.Decide(new OpenSession(new Session("new", "ops1", Now.AddHours(1)), Now));
        Assert.Contains(decision.Events, e => e is SessionsExpiredEvent { TokenHashes: var hashes } && hashes.SequenceEqual(["old"]));
        Assert.Equal(["new"], Apply(state, decision).Sessions.Keys);
    }

    [Fact]
    public void Authorizations_are_for_existing_ops_users_and_one_per_user_and_tenant()
    {
        var state = WithUsers();
        Assert.Equal(ApiErrorKind.NotFound, Assert.IsType<ApiError>(state.Decide(new AddAuthorization(new("a", "ghost", Roles.Ops, "t1"))).Reply).Kind);
        Assert.Equal(ApiErrorKind.Invalid, Assert.IsType<ApiError>(state.Decide(new AddAuthorization(new("a", "admin", Roles.Ops, "t1"))).Reply).Kind);
        state = Apply(state, state.Decide(new AddAuthorization(new("a", "ops1", Roles.Ops, "t1"))));
        var again = state.Decide(new AddAuthorization(new("b", "ops1", Roles.Ops, "t1")));
        Assert.True(again.Events.IsEmpty);
        Assert.Equal("a", Assert.IsType<AuthorizationAnswer>(again.Reply).Authorization.Id);
    }

    [Fact]
    public void A_snapshot_restores_the_same_state()
    {
        var state = WithUsers();
        state = Apply(state, state.Decide(new AddAuthorization(new("a", "ops1", Roles.Ops, "t1"))));
        state = Apply(state, state.Decide(new OpenSession(new Session("h1", "ops1", Now.AddHours(1)), Now)));
        var restored = AccessState.Restore(state.Capture());
        Assert.Equal(state.Users.Values, restored.Users.Values);
        Assert.Equal(state.Authorizations.Values, restored.Authorizations.Values);
        Assert.Equal(state.Sessions.Values.OrderBy(s => s.TokenHash), restored.Sessions.Values.OrderBy(s => s.TokenHash));
    }

    [Fact]
    public void Only_admin_changes_global_or_users_and_ops_stays_in_its_tenants()
    {
        var ops = new Principal("ops1", Roles.Ops, ["t1"], Now);
        var admin = new Principal("root", Roles.Admin, [], Now);
        Assert.Null(AccessPolicy.Check(ops, ApiAction.Write, new ApiTarget.OfTenant("t1")));
        Assert.Contains("tenant t2", AccessPolicy.Check(ops, ApiAction.Read, new ApiTarget.OfTenant("t2"))!.Message);
        Assert.Null(AccessPolicy.Check(ops, ApiAction.Read, new ApiTarget.Global("globals")));
        Assert.Equal(ApiErrorKind.Forbidden, AccessPolicy.Check(ops, ApiAction.Write, new ApiTarget.Global("globals"))!.Kind);
        Assert.NotNull(AccessPolicy.Check(ops, ApiAction.Read, new ApiTarget.Access()));
        Assert.Null(AccessPolicy.Check(admin, ApiAction.Write, new ApiTarget.Access()));
        Assert.Equal(["t1"], AccessPolicy.VisibleTenants(ops)!);
        Assert.Null(AccessPolicy.VisibleTenants(admin));
    }
}

/// <summary>Password hashes and the login throttle, with a clock the test moves.</summary>
[Trait("Category", "Auth")]
public sealed class LoginSecurityTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly AccessSettings Settings = new(TimeSpan.FromHours(1), TimeSpan.FromSeconds(5), 1000, 64, 3,
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));

    [Fact]
    public void A_hash_verifies_its_password_only_and_two_hashes_of_one_password_differ()
    {
        var hash = Passwords.Hash("correct horse", 1000);
        Assert.StartsWith("pbkdf2-sha256$1000$", hash);
        Assert.True(Passwords.Verify("correct horse", hash));
        Assert.False(Passwords.Verify("correct horsE", hash));
        Assert.NotEqual(hash, Passwords.Hash("correct horse", 1000));
        Assert.False(Passwords.Verify("x", "md5$whatever"));
        Assert.False(Passwords.Verify("x", "pbkdf2-sha256$1000$not-base64$!!"));
    }

    [Fact]
    public void Failures_past_the_allowance_wait_a_doubling_delay_up_to_the_cap_and_a_success_forgives_the_user()
    {
        var clock = new ManualClock();
        var throttle = new LoginThrottle(Settings, clock);
        for (var i = 0; i < 2; i++) throttle.Failed("alice", "10.0.0.1");
        Assert.Equal(TimeSpan.Zero, throttle.WaitFor("alice", "10.0.0.1"));
        throttle.Failed("alice", "10.0.0.1");
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.WaitFor("alice", "10.0.0.2"));
        throttle.Failed("alice", "10.0.0.1");
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.WaitFor("alice", "10.0.0.2"));
        for (var i = 0; i < 10; i++) throttle.Failed("alice", "10.0.0.1");
        Assert.Equal(TimeSpan.FromSeconds(8), throttle.WaitFor("alice", "10.0.0.2"));
        Assert.Equal(TimeSpan.FromSeconds(8), throttle.WaitFor("bob", "10.0.0.1"));
        Assert.Equal(TimeSpan.Zero, throttle.WaitFor("bob", "10.0.0.2"));
        clock.Now += TimeSpan.FromSeconds(8);
        Assert.Equal(TimeSpan.Zero, throttle.WaitFor("alice", "10.0.0.2"));
        throttle.Succeeded("alice");
        throttle.Failed("alice", "10.0.0.3");
        Assert.Equal(TimeSpan.Zero, throttle.WaitFor("alice", "10.0.0.3"));
    }
}
