using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Cli;
using QmsAgentHost.Identity;
using QmsAgentHost.Scheduling;
using QmsAgentHost.Tests.Identity;

namespace QmsAgentHost.Tests.Cli;

/// <summary>
/// A consultant provisions a client from the command line: <c>tenant create</c> makes a working
/// organization (its Owner signs in, its API key works, its sites are there), <c>disable</c> refuses
/// it everywhere, <c>enable</c> restores it, <c>site add</c> adds a site, <c>list</c> lists; each is
/// audited in the tenant's own chain, and every verb answers <c>--help</c>.
/// </summary>
public sealed class TenantVerbTests(IdentityHost host) : IClassFixture<IdentityHost>
{
    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string verb, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var services = host.Factory.Services;
        ICliVerb handler = verb switch
        {
            "tenant" => new TenantCliVerb(services.GetRequiredService<TenantAdministration>(), services.GetRequiredService<QmsAgentHost.Data.Migrations.MigrationRunner>()) { Output = output, Error = error },
            "site" => new SiteCliVerb(services.GetRequiredService<TenantAdministration>(), services.GetRequiredService<QmsAgentHost.Data.Migrations.MigrationRunner>()) { Output = output, Error = error },
            _ => throw new ArgumentException(verb, nameof(verb)),
        };
        var exit = await handler.RunAsync(args, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private static string NewSlug(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private async Task<JsonElement> CreateAsync(string slug, params string[] more)
    {
        var (exit, output, error) = await RunAsync("tenant", ["create", "--name", "Beta Castings", "--slug", slug, "--owner", $"owner@{slug}.example", .. more]);
        Assert.True(exit == 0, error);
        return JsonDocument.Parse(output).RootElement;
    }

    private async Task<HttpResponseMessage> SignInAsync(string slug, string login, string password) =>
        await host.Factory.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { organization = slug, login, password });

    private HttpClient KeyClient(string token)
    {
        var client = host.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Tenant_create_provisions_a_working_organization_with_its_owner_sites_and_api_key()
    {
        var slug = NewSlug("beta");

        var created = await CreateAsync(slug, "--site", "Detroit", "--site", "MTY=Monterrey North", "--api-key");

        var owner = created.GetProperty("owner");
        Assert.Equal("generated", owner.GetProperty("passwordSource").GetString());
        var password = owner.GetProperty("password").GetString()!;
        Assert.True(password.Length >= 12);
        (await SignInAsync(slug, owner.GetProperty("login").GetString()!, password)).EnsureSuccessStatusCode();
        var key = KeyClient(created.GetProperty("apiKey").GetString()!);
        var me = await key.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(created.GetProperty("orgId").GetGuid(), me.GetProperty("orgId").GetGuid());
        Assert.Equal(Roles.Owner, me.GetProperty("role").GetString());
        var sites = await key.GetFromJsonAsync<JsonElement>("/api/sites");
        Assert.Equal(["DETROIT:Detroit", "MTY:Monterrey North"], sites.EnumerateArray().Select(s => $"{s.GetProperty("code")}:{s.GetProperty("name")}"));
        var audit = await key.GetFromJsonAsync<JsonElement>("/api/audit?order=asc");
        var events = audit.GetProperty("items").EnumerateArray().Select(e => (Action: e.GetProperty("action").GetString(), Actor: e.GetProperty("actorName").GetString())).ToList();
        Assert.Equal(["tenant.created", "apikey.created"], events.Take(2).Select(e => e.Action));
        Assert.All(events.Take(2), e => Assert.StartsWith("cli:", e.Actor, StringComparison.Ordinal));
        Assert.True((await key.GetFromJsonAsync<JsonElement>("/api/audit/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task The_owner_password_can_come_from_a_file_and_is_then_not_printed()
    {
        var slug = NewSlug("file");
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "A-password-from-a-file-42\n");
        try
        {
            var created = await CreateAsync(slug, "--owner-password-file", file);

            Assert.Equal("file", created.GetProperty("owner").GetProperty("passwordSource").GetString());
            Assert.False(created.GetProperty("owner").TryGetProperty("password", out _));
            Assert.False(created.TryGetProperty("apiKey", out _));
            (await SignInAsync(slug, $"owner@{slug}.example", "A-password-from-a-file-42")).EnsureSuccessStatusCode();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_disabled_organization_is_refused_at_sign_in_for_keys_sessions_and_jobs_until_enabled()
    {
        var slug = NewSlug("gamma");
        var created = await CreateAsync(slug, "--api-key");
        var login = created.GetProperty("owner").GetProperty("login").GetString()!;
        var password = created.GetProperty("owner").GetProperty("password").GetString()!;
        var key = KeyClient(created.GetProperty("apiKey").GetString()!);
        var session = await host.SignInAsync(login, password, slug);
        (await session.GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        var jobs = host.Factory.Services.GetRequiredService<PluginJobRunner>();
        var beforeDisable = await jobs.RunForAllTenantsAsync("hello", "guest-book-digest", TimeProvider.System.GetUtcNow(), CancellationToken.None);

        var (exit, output, _) = await RunAsync("tenant", "disable", slug);

        Assert.Equal(0, exit);
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(slug, login, password)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await key.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/auth/me")).StatusCode);
        var whileDisabled = await jobs.RunForAllTenantsAsync("hello", "guest-book-digest", TimeProvider.System.GetUtcNow(), CancellationToken.None);
        Assert.Equal(beforeDisable.Succeeded + beforeDisable.Failed - 1, whileDisabled.Succeeded + whileDisabled.Failed);

        Assert.Equal(0, (await RunAsync("tenant", "enable", slug)).ExitCode);
        (await key.GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        (await SignInAsync(slug, login, password)).EnsureSuccessStatusCode();
        var actions = (await key.GetFromJsonAsync<JsonElement>("/api/audit?order=asc&entityType=organization")).GetProperty("items")
            .EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["tenant.created", "tenant.disabled", "tenant.enabled"], actions);
    }

    [Fact]
    public async Task Site_add_and_tenant_list_answer_json_and_are_audited_in_the_tenants_chain()
    {
        var slug = NewSlug("delta");
        var created = await CreateAsync(slug, "--api-key");
        var key = KeyClient(created.GetProperty("apiKey").GetString()!);

        var (exit, output, _) = await RunAsync("site", "add", slug, "Saltillo Plant", "--code", "SAL");
        var duplicate = await RunAsync("site", "add", slug, "Another", "--code", "SAL");
        var listed = await RunAsync("tenant", "list");

        Assert.Equal(0, exit);
        Assert.Equal("SAL", JsonDocument.Parse(output).RootElement.GetProperty("code").GetString());
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("already has a site with code 'SAL'", duplicate.Error, StringComparison.Ordinal);
        var entry = JsonDocument.Parse(listed.Output).RootElement.EnumerateArray().Single(t => t.GetProperty("slug").GetString() == slug);
        Assert.Equal("Beta Castings", entry.GetProperty("name").GetString());
        Assert.False(entry.GetProperty("disabled").GetBoolean());
        var actions = (await key.GetFromJsonAsync<JsonElement>("/api/audit?order=asc")).GetProperty("items")
            .EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("site.created", actions);
        Assert.Contains("tenant.listed", actions);
        Assert.Equal(1, (await RunAsync("tenant", "create", "--name", "Again", "--slug", slug, "--owner", "x@y.example")).ExitCode);
    }

    [Theory]
    [InlineData("tenant", "--help")]
    [InlineData("tenant", "create --help")]
    [InlineData("tenant", "list --help")]
    [InlineData("tenant", "disable --help")]
    [InlineData("tenant", "enable --help")]
    [InlineData("site", "--help")]
    [InlineData("site", "add --help")]
    public async Task Every_verb_answers_help(string verb, string args)
    {
        var (exit, output, _) = await RunAsync(verb, args.Split(' '));

        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_usage_error_exits_2_and_says_what_is_missing()
    {
        var (exit, _, error) = await RunAsync("tenant", "create", "--name", "No slug");

        Assert.Equal(2, exit);
        Assert.Contains("--slug", error, StringComparison.Ordinal);
    }
}
