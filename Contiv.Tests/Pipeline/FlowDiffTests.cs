using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.Dataplane.Ovs.Pipeline;
using Xunit;

namespace Contiv.Tests.Pipeline;

public sealed class FlowDiffTests
{
    private static readonly HostState State = FlowCompilerTests.Grid(groups: 3, rulesPerGroup: 4, localPerGroup: 3, remotePerGroup: 2);

    /// <summary>
    /// A switch as OVS behaves for OpenFlow 1.3 flow-mods: add replaces the flow with the same key
    /// (cookie included), modify-strict changes instructions but keeps the cookie.
    /// </summary>
    private sealed class SwitchModel
    {
        public Dictionary<FlowKey, Flow> Flows { get; }
        public Dictionary<uint, GroupEntry> Groups { get; }

        public SwitchModel(CompiledFlows installed)
        {
            Flows = installed.Flows.ToDictionary(f => f.Key);
            Groups = installed.Groups.ToDictionary(g => g.Id);
        }

        public void Apply(FlowOp op)
        {
            switch (op)
            {
                case AddFlow add: Flows[add.Flow.Key] = add.Flow; break;
                case ModifyFlow modify:
                    Assert.True(Flows.TryGetValue(modify.Flow.Key, out var current));
                    Flows[modify.Flow.Key] = current with { Instructions = modify.Flow.Instructions };
                    break;
                case DeleteFlow delete: Flows.Remove(delete.Key); break;
                case DeleteFlowsByCookie byCookie:
                    foreach (var key in Flows.Values.Where(f => (f.Cookie & byCookie.CookieMask) == byCookie.Cookie).Select(f => f.Key).ToList()) Flows.Remove(key);
                    break;
                case AddGroup add: Assert.True(Groups.TryAdd(add.Group.Id, add.Group)); break;
                case ModifyGroup modify: Assert.True(Groups.ContainsKey(modify.Group.Id)); Groups[modify.Group.Id] = modify.Group; break;
                case DeleteGroup delete: Assert.True(Groups.Remove(delete.GroupId)); break;
            }
        }

        public void AssertHolds(CompiledFlows desired)
        {
            Assert.Equal(desired.Flows.OrderBy(f => f.Key.GetHashCode()).ThenBy(f => f.Cookie), Flows.Values.OrderBy(f => f.Key.GetHashCode()).ThenBy(f => f.Cookie));
            Assert.Equal(desired.Groups, Groups.Values.OrderBy(g => g.Id));
        }
    }

    [Fact]
    public void Nothing_changed_means_an_empty_diff()
    {
        var compiled = FlowCompiler.Compile(State, 1);
        var changes = FlowDiff.Diff(compiled, compiled.Flows, compiled.Groups);
        Assert.True(changes.IsEmpty);
        Assert.Empty(changes.Operations());
    }

    [Fact]
    public void A_rule_added_adds_only_that_rules_flows()
    {
        var before = FlowCompiler.Compile(State, 1);
        var policy = State.Policies[2];
        var rule = new PolicyRule(99, 50, RuleDirection.Out, RuleAction.Deny, IpProtocol.Udp, 53);
        var after = FlowCompiler.Compile(State.WithPolicy(policy.WithRule(rule)), 1);

        var changes = FlowDiff.Diff(after, before.Flows, before.Groups);
        var added = Assert.Single(changes.Adds);
        Assert.Equal(new FlowCookie(1, OwnerKind.Rule, Cookies.RuleOwnerId(2, 99)), FlowCookie.From(added.Cookie));
        Assert.Equal(PipelineTables.EgressPolicy.Id, added.Table);
        Assert.Equal(1, changes.Count);

        var model = new SwitchModel(before);
        foreach (var op in changes.Operations()) model.Apply(op);
        model.AssertHolds(after);
    }

    [Fact]
    public void An_endpoint_removed_deletes_exactly_its_flows_and_shrinks_its_flood_groups()
    {
        var before = FlowCompiler.Compile(State, 1);
        var endpoint = State.LocalEndpoints.Values.First();
        var after = FlowCompiler.Compile(State.WithoutLocalEndpoint(endpoint.Id), 1);

        var changes = FlowDiff.Diff(after, before.Flows, before.Groups);
        var owned = before.OwnedBy(OwnerKind.LocalEndpoint, FlowCookie.IdOf(endpoint.Id)).Select(f => f.Key).ToHashSet();
        Assert.Equal(6, owned.Count);
        Assert.Equal(owned, changes.Deletes.Select(f => f.Key).ToHashSet());
        Assert.Empty(changes.Adds);
        Assert.Empty(changes.Modifies);
        Assert.Equal([FloodGroups.AllId(1), FloodGroups.LocalId(1)], changes.GroupModifies.Select(g => g.Id));

        var model = new SwitchModel(before);
        foreach (var op in changes.Operations()) model.Apply(op);
        model.AssertHolds(after);
    }

    [Fact]
    public void New_instructions_are_a_modify_and_a_new_cookie_is_a_replacing_add()
    {
        var installed = FlowCompiler.Compile(State, 1);
        var victim = installed.Flows.First(f => f.Table == PipelineTables.Forwarding.Id && FlowCookie.From(f.Cookie).Kind == OwnerKind.LocalEndpoint);
        var other = installed.Flows.First(f => f.Table == PipelineTables.Classification.Id && FlowCookie.From(f.Cookie).Kind == OwnerKind.LocalEndpoint);
        var tampered = installed.Flows
            .Select(f => f == victim ? f with { Instructions = Instructions.Drop } : f == other ? f with { Cookie = f.Cookie ^ 1 } : f).ToList();

        var changes = FlowDiff.Diff(installed, tampered, installed.Groups);
        Assert.Equal(2, changes.Modifies.Length);
        var ops = changes.Operations();
        Assert.Contains(new ModifyFlow(victim), ops);
        Assert.Contains(new AddFlow(other), ops);
    }

    [Fact]
    public void Operations_create_groups_before_flows_and_delete_them_after()
    {
        var empty = FlowCompiler.Compile(new HostState(State.Settings), 1);
        var full = FlowCompiler.Compile(State, 1);
        var up = FlowDiff.Diff(full, empty.Flows, empty.Groups).Operations();
        Assert.True(up.IndexOf(up.OfType<AddGroup>().Last()) < up.IndexOf(up.OfType<AddFlow>().First()));
        var down = FlowDiff.Diff(empty, full.Flows, full.Groups).Operations();
        Assert.True(down.IndexOf(down.OfType<DeleteFlow>().Last()) < down.IndexOf(down.OfType<DeleteGroup>().First()));
    }

    [Fact]
    public void A_round_swap_puts_every_new_flow_in_before_anything_old_goes_out()
    {
        var installed = FlowCompiler.Compile(State, 1);
        var gone = State.LocalEndpoints.Values.First();
        var changedState = State.WithoutLocalEndpoint(gone.Id)
            .WithLocalEndpoint(new LocalEndpoint("newcomer", 4242, "02:00:00:00:42:42", "10.200.0.1", 1, 1));
        var desired = FlowCompiler.Compile(changedState, 2);

        var plan = FlowDiff.RoundSwap(desired, installed.Flows, installed.Groups);

        // in: every desired flow as an add (its cookie changes round), nothing deleted
        Assert.Equal(desired.Count, plan.Install.OfType<AddFlow>().Count());
        Assert.DoesNotContain(plan.Install, op => op is DeleteFlow or DeleteFlowsByCookie or DeleteGroup);
        // out: the stale keys strictly, then whatever still carries round 1
        var stale = installed.Flows.Select(f => f.Key).Except(desired.Flows.Select(f => f.Key)).ToHashSet();
        Assert.Equal(stale, plan.Retire.OfType<DeleteFlow>().Select(d => d.Key).ToHashSet());
        Assert.Equal(new DeleteFlowsByCookie(1UL << 56, FlowCookie.RoundMask), plan.Retire.OfType<DeleteFlowsByCookie>().Single());
        Assert.True(plan.Retire.IndexOf(plan.Retire.OfType<DeleteFlowsByCookie>().Single()) > plan.Retire.IndexOf(plan.Retire.OfType<DeleteFlow>().Last()));

        // no gap: through the install phase every key that stays is present at every step
        var model = new SwitchModel(installed);
        var staying = desired.Flows.Select(f => f.Key).Intersect(installed.Flows.Select(f => f.Key)).ToList();
        foreach (var op in plan.Install)
        {
            model.Apply(op);
            Assert.All(staying, key => Assert.True(model.Flows.ContainsKey(key)));
        }
        foreach (var op in plan.Retire) model.Apply(op);
        model.AssertHolds(desired);
        Assert.DoesNotContain(model.Flows.Values, f => FlowCookie.From(f.Cookie).Round == 1);
    }

    [Fact]
    public void A_round_swap_over_flows_already_in_the_new_round_changes_nothing()
    {
        var desired = FlowCompiler.Compile(State, 2);
        var plan = FlowDiff.RoundSwap(desired, desired.Flows, desired.Groups);
        Assert.Empty(plan.Operations);
    }
}
