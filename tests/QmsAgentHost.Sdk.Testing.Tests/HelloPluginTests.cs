using System.Text.Json;

namespace QmsAgentHost.Sdk.Testing.Tests;

/// <summary>The Hello sample plugin, tested the way a plugin author would test it with the kit.</summary>
public sealed class HelloPluginTests(HelloHostFixture fixture) : IClassFixture<HelloHostFixture>
{
    private PluginTestHost Host => fixture.Host;

    public sealed record Greeting(string Text, string Organization);

    [Theory]
    [InlineData("Viewer", true, true, false)]
    [InlineData("Analyst", true, true, true)]
    [InlineData("Manager", true, true, true)]
    [InlineData("Admin", true, true, true)]
    [InlineData("Owner", true, true, true)]
    [InlineData("Auditor", false, true, false)]
    public async Task Each_role_may_call_what_its_permissions_allow(string role, bool mayGreet, bool mayRead, bool mayWrite)
    {
        var user = await Host.CreateUserAsync(role);

        Assert.Equal(mayGreet, await SucceedsAsync(() => Host.CallAsync(user, "greet", new { name = "Maria" })));
        Assert.Equal(mayRead, await SucceedsAsync(() => Host.CallAsync(user, "list_guest_book", new { limit = 1 })));
        Assert.Equal(mayWrite, await SucceedsAsync(() => Host.CallAsync(user, "sign_guest_book", new { name = role, message = "was here" })));
    }

    [Fact]
    public async Task A_refused_call_carries_the_status_and_changes_nothing()
    {
        var viewer = await Host.CreateUserAsync("Viewer");
        var before = await Host.AuditEventsAsync();

        var refused = await Assert.ThrowsAsync<PluginCallException>(() => Host.CallAsync(viewer, "sign_guest_book", new { name = "Vic", message = "let me in" }));

        Assert.Equal(403, refused.StatusCode);
        Assert.Equal("hello.sign_guest_book", refused.Function);
        Assert.Contains("needs permission 'hello:write'", refused.Message, StringComparison.Ordinal);
        Assert.Null(refused.InnerException);
        Assert.Equal(before.Count, (await Host.AuditEventsAsync()).Count);
        await using var session = await Host.BeginSessionAsync();
        await using var count = session.CreateCommand("SELECT count(*) FROM hello.guest_book WHERE message = 'let me in'");
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Signing_returns_the_stored_entry_and_records_an_audit_event_for_the_caller()
    {
        var maria = await Host.CreateUserAsync("Analyst", "Maria Lopez");

        var entry = await Host.CallAsync(maria, "sign_guest_book", new { name = "Maria", message = "hi" });

        var id = entry.GetProperty("id").GetGuid();
        Assert.Equal("Maria", entry.GetProperty("name").GetString());
        Assert.Equal("hi", entry.GetProperty("message").GetString());
        var recorded = Assert.Single(await Host.AuditEventsAsync(), e => e.EntityId == id.ToString());
        Assert.Equal("hello.guest-book-signed", recorded.Action);
        Assert.Equal("guest-book-entry", recorded.EntityType);
        Assert.Equal(maria.UserId, recorded.ActorId);
        Assert.Equal("Maria Lopez", recorded.ActorName);
        Assert.Equal("hi", recorded.After!.Value.GetProperty("message").GetString());
        Assert.Null(recorded.Before);
        Assert.Matches("^[0-9a-f]{64}$", recorded.Hash);
        // The row is the tenant's, signed by the caller: read back through a tenant session (row-level security applies).
        await using var session = await Host.BeginSessionAsync();
        await using var command = session.CreateCommand("SELECT signed_by, org_id FROM hello.guest_book WHERE entry_id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(maria.UserId, reader.GetGuid(0));
        Assert.Equal(Host.OrgId, reader.GetGuid(1));
    }

    [Fact]
    public async Task Audit_events_exclude_the_tenant_set_up_and_are_chained_in_order()
    {
        var analyst = await Host.CreateUserAsync("Analyst");
        await Host.CallAsync(analyst, "sign_guest_book", new { name = "A", message = "one" });
        await Host.CallAsync(analyst, "sign_guest_book", new { name = "A", message = "two" });

        var events = await Host.AuditEventsAsync();

        Assert.DoesNotContain(events, e => e.Action == "tenant.created");
        Assert.All(events, e => Assert.Equal("hello.guest-book-signed", e.Action));
        Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
        Assert.Equal(["one", "two"], events.TakeLast(2).Select(e => e.After!.Value.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task The_plugin_sees_the_test_clock()
    {
        var analyst = await Host.CreateUserAsync("Analyst");
        Host.Clock.Advance(TimeSpan.FromDays(1));
        var firstAt = Host.Clock.GetUtcNow();

        var first = await Host.CallAsync(analyst, "sign_guest_book", new { name = "Early", message = "first" });
        Host.Clock.Advance(TimeSpan.FromDays(1));
        var second = await Host.CallAsync(analyst, "sign_guest_book", new { name = "Late", message = "second" });

        Assert.Equal(firstAt, first.GetProperty("signedAt").GetDateTimeOffset());
        Assert.Equal(firstAt.AddDays(1), second.GetProperty("signedAt").GetDateTimeOffset());
        var newest = await Host.CallAsync(analyst, "list_guest_book", new { limit = 2 });
        Assert.Equal(["Late", "Early"], newest.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Greeting_uses_the_default_setting_and_the_callers_tenant()
    {
        var viewer = await Host.CreateUserAsync("Viewer");

        var greeting = await Host.CallAsync<Greeting>(viewer, "GREET", new Dictionary<string, object?> { ["Name"] = "  Tom " });

        Assert.Equal(new Greeting("Hello, Tom!", Host.OrgId.ToString()), greeting);
    }

    [Fact]
    public async Task Arguments_are_checked_as_the_api_checks_them()
    {
        var analyst = await Host.CreateUserAsync("Analyst");

        var missing = await CallFailsAsync(analyst, "sign_guest_book", new { name = "Tom" });
        var unknown = await CallFailsAsync(analyst, "greet", new { name = "Tom", mood = "happy" });
        var wrongType = await CallFailsAsync(analyst, "list_guest_book", new { limit = "many" });
        var outOfRange = await CallFailsAsync(analyst, "list_guest_book", new { limit = 5000 });
        var noSuchFunction = await CallFailsAsync(analyst, "nope", null);

        Assert.Equal((400, "Argument 'message' is required."), (missing.StatusCode, missing.Message));
        Assert.Equal(400, unknown.StatusCode);
        Assert.Contains("has no argument 'mood'", unknown.Message, StringComparison.Ordinal);
        Assert.Equal((400, "Argument 'limit' must be a whole number in range."), (wrongType.StatusCode, wrongType.Message));
        Assert.Equal(400, outOfRange.StatusCode);
        // The plugin's own exception is kept for the test to inspect.
        Assert.IsType<ArgumentOutOfRangeException>(outOfRange.InnerException);
        Assert.Equal(404, noSuchFunction.StatusCode);
        Assert.Contains("No loaded function 'nope' in plugin 'hello'. It has: ", noSuchFunction.Message, StringComparison.Ordinal);
        Assert.All(Host.FunctionNames, name => Assert.Contains(name, noSuchFunction.Message, StringComparison.Ordinal));
        await Assert.ThrowsAsync<ArgumentException>(() => Host.CallAsync(analyst, "greet", new[] { "Tom" }));
    }

    [Fact]
    public async Task Arguments_may_be_given_as_json()
    {
        var viewer = await Host.CreateUserAsync("Viewer");
        using var arguments = JsonDocument.Parse("""{ "name": "Ana" }""");

        var greeting = await Host.CallAsync(viewer, "greet", arguments.RootElement);

        Assert.Equal("Hello, Ana!", greeting.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Users_are_made_per_role_in_the_test_tenant()
    {
        var first = await Host.CreateUserAsync("Manager");
        var second = await Host.CreateUserAsync("Manager", "Quality Manager");

        Assert.NotEqual(first.UserId, second.UserId);
        Assert.NotEqual(first.Login, second.Login);
        Assert.Equal("Quality Manager", second.DisplayName);
        Assert.Equal(["approve_guest_book_entry", "greet", "list_guest_book", "sign_guest_book"], Host.FunctionNames.Order(StringComparer.Ordinal));
        Assert.Equal("hello", Host.PluginId);
        await using var session = await Host.BeginSessionAsync();
        await using var command = session.CreateCommand("SELECT role, site_id FROM core.users WHERE user_id = @id");
        command.Parameters.AddWithValue("id", second.UserId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("Manager", Host.SiteId), (reader.GetString(0), reader.GetGuid(1)));
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Host.CreateUserAsync("Wizard"));
        Assert.Contains("Owner, Admin, Manager, Analyst, Viewer, Auditor", ex.Message, StringComparison.Ordinal);
    }

    private async Task<PluginCallException> CallFailsAsync(TestUser user, string function, object? arguments) =>
        await Assert.ThrowsAsync<PluginCallException>(() => Host.CallAsync(user, function, arguments));

    private static async Task<bool> SucceedsAsync(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (PluginCallException ex) when (ex.StatusCode == 403)
        {
            return false;
        }
    }
}
