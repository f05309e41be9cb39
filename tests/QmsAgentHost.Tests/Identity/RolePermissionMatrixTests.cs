using System.Net.Http.Json;
using System.Text.Json;
using QmsAgentHost.Identity;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Identity;

public sealed class MatrixHost : IdentityHost
{
    private TestTenant? _tenant;

    public async Task<TestTenant> TenantAsync() => _tenant ??= await NewTenantAsync("matrix");
}

/// <summary>
/// The documented default role map, written out by hand rather than computed: the ladder Owner &gt;
/// Admin &gt; Manager &gt; Analyst &gt; Viewer inherits upwards, and the Auditor holds exactly the read
/// permissions (actions view, read, ask, search, list, verify). Hello's manifest declares hello:greet
/// and hello:read for Viewer, hello:write for Analyst and hello:approve for Manager.
/// </summary>
public sealed class RolePermissionMatrixTests(MatrixHost host) : IClassFixture<MatrixHost>
{
    private static readonly string[] EveryPermission =
    [
        "admin:plugins", "admin:sites", "admin:users", "audit-trail:view", "audit-trail:verify", "apikeys:create", "signatures:sign", "chat:ask",
        "hello:approve", "hello:greet", "hello:read", "hello:write",
    ];

    private static readonly Dictionary<string, string[]> Expected = new()
    {
        [Roles.Owner] = EveryPermission,
        [Roles.Admin] = EveryPermission,
        [Roles.Manager] = ["audit-trail:view", "apikeys:create", "signatures:sign", "chat:ask", "hello:approve", "hello:greet", "hello:read", "hello:write"],
        [Roles.Analyst] = ["apikeys:create", "signatures:sign", "chat:ask", "hello:greet", "hello:read", "hello:write"],
        [Roles.Viewer] = ["chat:ask", "hello:greet", "hello:read"],
        [Roles.Auditor] = ["audit-trail:view", "audit-trail:verify", "chat:ask", "hello:read"],
    };

    public static TheoryData<string, string, bool> RoleAndPermission()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var role in Roles.All)
        {
            foreach (var permission in EveryPermission)
            {
                data.Add(role, permission, Expected[role].Contains(permission));
            }
        }
        return data;
    }

    private async Task<JsonElement> MeAsync(string role)
    {
        var tenant = await host.TenantAsync();
        return await tenant.ClientFor(role).GetFromJsonAsync<JsonElement>("/api/auth/me");
    }

    [Theory]
    [MemberData(nameof(RoleAndPermission))]
    public async Task Each_role_holds_exactly_its_documented_permissions(string role, string permission, bool expected)
    {
        var me = await MeAsync(role);

        var permissions = me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Equal(role, me.GetProperty("role").GetString());
        Assert.Equal(expected, permissions.Contains(permission));
    }

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Auditor)]
    public async Task A_role_has_no_permission_beyond_the_documented_map(string role)
    {
        var me = await MeAsync(role);

        Assert.Equal(Expected[role].Order(StringComparer.Ordinal), me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()!));
    }

    [Fact]
    public void Every_core_permission_is_covered_by_this_matrix()
    {
        Assert.Subset(EveryPermission.ToHashSet(), CorePermissions.All.Select(p => p.Name).ToHashSet());
    }

    [Theory]
    [InlineData(Roles.Viewer, "hello:greet", true)]
    [InlineData(Roles.Viewer, "hello:write", false)]
    [InlineData(Roles.Analyst, "hello:write", true)]
    [InlineData(Roles.Auditor, "hello:write", false)]
    public async Task Plugin_permissions_decide_who_may_call_plugin_functions(string role, string permission, bool allowed)
    {
        var tenant = await host.TenantAsync();
        var (function, arguments) = permission == "hello:greet"
            ? ("greet", (object)new { name = "Maria" })
            : ("sign_guest_book", new { name = "Maria", message = "audit went well" });

        var response = await tenant.ClientFor(role).PostAsJsonAsync($"/api/plugins/hello/functions/{function}", arguments);

        if (allowed)
        {
            response.EnsureSuccessStatusCode();
        }
        else
        {
            await HttpAssert.ProblemAsync(response, 403);
        }
    }
}
