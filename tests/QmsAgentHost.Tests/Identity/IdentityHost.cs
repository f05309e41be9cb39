using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Data;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Identity;

/// <summary>The host over a fresh database for one test class; subclasses change its settings.</summary>
public class IdentityHost : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();
    public QmsHostFactory Factory { get; private set; } = null!;

    protected virtual Dictionary<string, string?> Settings => [];

    public virtual async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = new QmsHostFactory(Database, RepoPaths.Plugins, Settings);
        _ = Factory.Server;
    }

    public virtual async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>A tenant of its own for one test, so tests never see each other's data.</summary>
    public Task<TestTenant> NewTenantAsync(string prefix) => Factory.CreateTenantAsync($"{prefix}-{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>A client with cookies, signed in through the API as <paramref name="login"/>.</summary>
    public async Task<HttpClient> SignInAsync(string login, string password = TestTenant.Password, string? organization = null)
    {
        var client = Factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/sign-in", new { organization = organization ?? TestTenant.SlugOf(login), login, password });
        response.EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>The tenant's audit events, oldest first, read through row-level security like the host does.</summary>
    public async Task<List<AuditRow>> AuditAsync(Guid orgId, string? action = null)
    {
        await using var session = await Factory.Services.GetRequiredService<QmsDataSources>().BeginTenantAsync(orgId, null, CancellationToken.None);
        var events = await QmsAgentHost.Audit.AuditTrailReader.ReadSinceAsync(session, 0, action, CancellationToken.None);
        return [.. events.Select(e => new AuditRow(e.Action, e.EntityType, e.EntityId, e.ActorId, e.ActorName, e.Before?.GetRawText(), e.After?.GetRawText()))];
    }
}

public sealed record AuditRow(string Action, string EntityType, string? EntityId, Guid? ActorId, string ActorName, string? Before, string? After)
{
    public JsonElement BeforeJson => JsonDocument.Parse(Before ?? "null").RootElement;
    public JsonElement AfterJson => JsonDocument.Parse(After ?? "null").RootElement;
}

public static class HttpAssert
{
    /// <summary>Asserts an RFC 7807 problem with <paramref name="status"/> and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 validation problem naming <paramref name="field"/> and returns the field's messages.</summary>
    public static async Task<string[]> ValidationErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await ProblemAsync(response, 400);
        Assert.True(problem.TryGetProperty("errors", out var errors), "no errors in " + problem);
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field} in {errors}");
        return [.. messages.EnumerateArray().Select(m => m.GetString()!)];
    }
}
