using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Identity;
using QmsAgentHost.Plugins;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Signatures;
using QmsAgentHost.Tenancy;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Audit;

/// <summary>The signature service as a plugin sees it, below the HTTP API.</summary>
public sealed class SignatureServiceTests(AuditHostFixture fixture) : IClassFixture<AuditHostFixture>
{
    [Fact]
    public async Task Signing_after_the_session_recorded_an_event_is_refused_instead_of_deadlocking()
    {
        var tenant = await fixture.NewTenantAsync("svc-order");
        await using var scope = ScopeFor(tenant, Roles.Manager);
        var audit = scope.ServiceProvider.GetRequiredService<IAuditTrail>();
        var signatures = scope.ServiceProvider.GetRequiredService<ISignatureService>();
        await using var session = await fixture.BeginTenantAsync(tenant.OrgId);
        await audit.RecordAsync(session, new AuditEntry("test.changed", "thing", "1"));

        // A wrong password would otherwise wait forever: the refusal is recorded in a second session
        // that needs the chain lock this session holds.
        var signing = signatures.SignAsync(session, new SignatureRequest("thing", "1", new { a = 1 }, SignatureMeaning.Reviewed, Password: "wrong"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => signing.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.StartsWith("Sign before recording audit events in the same session", error.Message);
    }

    [Fact]
    public async Task Signature_joins_the_callers_transaction()
    {
        var tenant = await fixture.NewTenantAsync("svc-tx");
        await using var scope = ScopeFor(tenant, Roles.Manager);
        var signatures = scope.ServiceProvider.GetRequiredService<ISignatureService>();

        await using (var rolledBack = await fixture.BeginTenantAsync(tenant.OrgId))
        {
            var signature = await signatures.SignAsync(rolledBack,
                new SignatureRequest("thing", "1", new { a = 1 }, SignatureMeaning.Responsible, Password: TestTenant.Password));
            Assert.Single(await signatures.ListAsync(rolledBack, "thing", "1"));
            Assert.Equal($"Manager of {tenant.Slug}", signature.SignerName);
        }

        await using var after = await fixture.BeginTenantAsync(tenant.OrgId);
        Assert.Empty(await signatures.ListAsync(after, "thing", "1"));
    }

    [Fact]
    public async Task Plugin_that_audited_and_signed_is_collected_after_unload()
    {
        var tenant = await fixture.NewTenantAsync("svc-unload");
        var (weakContext, record) = await LoadAndApproveAsync(tenant);

        record.MarkUnloaded();
        for (var i = 0; i < 20 && weakContext.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(10);
        }

        Assert.False(weakContext.IsAlive, "the plugin's AssemblyLoadContext is still referenced after it recorded audit events and signed");
    }

    // Kept out of line so no local of this frame holds the plugin's types when the test collects.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task<(WeakReference Context, PluginRecord Record)> LoadAndApproveAsync(TestTenant tenant)
    {
        var services = fixture.Factory.Services;
        var record = services.GetRequiredService<PluginFolderLoader>().Load(Path.Combine(RepoPaths.Plugins, "hello"));
        Assert.Equal(PluginStatus.Loaded, record.Status);
        var invoker = services.GetRequiredService<PluginFunctionInvoker>();
        await using var scope = ScopeFor(tenant, Roles.Manager);

        var sign = record.Functions.Single(f => f.Name == "sign_guest_book");
        var entry = await invoker.InvokeAsync(record, sign, Arguments(("name", "Ada"), ("message", "hello")), scope.ServiceProvider, CancellationToken.None);
        var approve = record.Functions.Single(f => f.Name == "approve_guest_book_entry");
        var approved = await invoker.InvokeAsync(record, approve,
            Arguments(("entryId", entry.GetProperty("id").GetString()!), ("meaning", "Approved"), ("password", TestTenant.Password)),
            scope.ServiceProvider, CancellationToken.None);

        Assert.Single(approved.GetProperty("signatures").EnumerateArray());
        return (new WeakReference(AssemblyLoadContext.GetLoadContext(sign.Method.DeclaringType!.Assembly)), record);
    }

    private AsyncServiceScope ScopeFor(TestTenant tenant, string role)
    {
        var scope = fixture.Factory.Services.CreateAsyncScope();
        var permissions = scope.ServiceProvider.GetRequiredService<PermissionResolver>().DefaultsFor(role);
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(new Caller(
            tenant.OrgId, tenant.UserId(role), null, $"{role} of {tenant.Slug}", role, permissions.ToFrozenSet(StringComparer.Ordinal), "test"));
        return scope;
    }

    private static Dictionary<string, JsonElement> Arguments(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => JsonSerializer.SerializeToElement(v.Value));
}
