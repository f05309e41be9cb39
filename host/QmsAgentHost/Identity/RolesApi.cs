using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Tenancy;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Identity;

/// <param name="Permission">The permission string, <c>area:action</c>.</param>
/// <param name="Description">What it allows, from the host or the plugin manifest.</param>
/// <param name="DefaultRole">The lowest ladder role that holds it by default.</param>
/// <param name="Granted">Whether the role holds it in this tenant now.</param>
/// <param name="Source"><c>default</c> (from the host or the plugin manifest) or <c>override</c> (this tenant's edit).</param>
/// <param name="DefaultGranted">Whether the role would hold it without the tenant's edit.</param>
public sealed record RolePermissionDto(string Permission, string Description, string DefaultRole, bool Granted, string Source, bool DefaultGranted);

public sealed record RoleDto(string Role, IReadOnlyList<string> Effective, IReadOnlyList<RolePermissionDto> Permissions);

public sealed record SetRolePermissionRequest(bool? Granted);

/// <summary>
/// The tenant's role → permission map, for holders of <c>admin:users</c>. A caller edits only roles
/// it could grant and grants only permissions it holds itself; the Owner always keeps <c>admin:users</c>.
/// Changes take effect on the next request of every user with that role.
/// </summary>
public static partial class RolesApi
{
    public const string SourceDefault = "default";
    public const string SourceOverride = "override";

    public static RouteGroupBuilder MapRolesApi(this RouteGroupBuilder group)
    {
        group.WithTags("Roles").RequirePermission(CorePermissions.AdminUsers);
        group.MapGet("/", ListAsync).WithSummary("Every role with every known permission: granted or not, by default or by this tenant's edit.");
        group.MapPut("/{role}/permissions/{permission}", SetAsync).WithSummary("Grants (granted: true) or revokes (granted: false) a permission for a role in this tenant.");
        group.MapDelete("/{role}/permissions/{permission}", ResetAsync).WithSummary("Removes this tenant's edit, so the default applies again.");
        return group;
    }

    private static async Task<Ok<List<RoleDto>>> ListAsync(ITenantDatabase database, PermissionResolver resolver, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var overrides = await PermissionResolver.LoadOverridesAsync(session, null, cancellationToken);
        await session.CommitAsync(cancellationToken);
        var known = resolver.KnownPermissions();
        return TypedResults.Ok(Roles.All.Select(role => Describe(resolver, known, role, overrides.GetValueOrDefault(role) ?? [])).ToList());
    }

    private static async Task<Results<Ok<RolePermissionDto>, ValidationProblem, ProblemHttpResult>> SetAsync(
        string role, string permission, SetRolePermissionRequest request, ITenantDatabase database, TenantContext tenant,
        PermissionResolver resolver, IAuditTrail audit, CallerCache callers, CancellationToken cancellationToken)
    {
        if (CheckTarget(role, permission, resolver, tenant, out role) is { } refused)
        {
            return refused;
        }
        if (request.Granted is not { } granted)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["granted"] = ["Give granted: true or false."] });
        }
        if (role == Roles.Owner && permission == CorePermissions.AdminUsers && !granted)
        {
            return TypedResults.Problem(statusCode: 400, title: "Not allowed",
                detail: "The Owner always keeps admin:users, so an organization can never lock itself out of its administration.");
        }
        if (granted && Roles.NeverHolds(role, permission) is { } never)
        {
            return TypedResults.Problem(statusCode: 400, title: "Not allowed", detail: never);
        }
        if (granted && !tenant.HasPermission(permission))
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: $"You can only grant permissions you hold; you do not hold '{permission}'.");
        }
        return await ChangeAsync(database, resolver, audit, callers, role, permission, "role-permission.changed", """
            INSERT INTO core.role_permissions (org_id, role, permission, granted) VALUES (core.current_org_id(), @role, @permission, @granted)
            ON CONFLICT (org_id, role, permission) DO UPDATE SET granted = excluded.granted, updated_at = now()
            """, granted, cancellationToken);
    }

    private static async Task<Results<Ok<RolePermissionDto>, ValidationProblem, ProblemHttpResult>> ResetAsync(
        string role, string permission, ITenantDatabase database, TenantContext tenant, PermissionResolver resolver, IAuditTrail audit,
        CallerCache callers, CancellationToken cancellationToken)
    {
        if (CheckTarget(role, permission, resolver, tenant, out role) is { } refused)
        {
            return refused;
        }
        return await ChangeAsync(database, resolver, audit, callers, role, permission, "role-permission.reset",
            "DELETE FROM core.role_permissions WHERE role = @role AND permission = @permission", null, cancellationToken);
    }

    /// <summary>Applies one edit of the map and audits it when it changed something; answers the permission's new state.</summary>
    private static async Task<Results<Ok<RolePermissionDto>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        ITenantDatabase database, PermissionResolver resolver, IAuditTrail audit, CallerCache callers, string role, string permission, string action,
        string sql, bool? granted, CancellationToken cancellationToken)
    {
        var known = resolver.KnownPermissions();
        await using var session = await database.BeginAsync(cancellationToken);
        // Serializes edits of one tenant's map, so the audited before/after are exact.
        await using (var lockMap = session.CreateCommand("SELECT pg_advisory_xact_lock(hashtextextended('core.role_permissions:' || core.current_org_id()::text, 0))"))
        {
            await lockMap.ExecuteNonQueryAsync(cancellationToken);
        }
        var before = await StateAsync(session, resolver, known, role, permission, cancellationToken);
        await using (var command = session.CreateCommand(sql))
        {
            command.Parameters.AddWithValue("role", role);
            command.Parameters.AddWithValue("permission", permission);
            if (granted is { } value)
            {
                command.Parameters.AddWithValue("granted", value);
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var after = await StateAsync(session, resolver, known, role, permission, cancellationToken);
        if (before != after)
        {
            await audit.RecordAsync(session, new AuditEntry(action, "role-permission", $"{role}/{permission}")
            {
                Before = new { before.Granted, before.Source },
                After = new { after.Granted, after.Source },
            }, cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
        // This node drops its cached callers of the tenant now; the others when PostgreSQL notifies them.
        callers.Evict(session.OrgId);
        return TypedResults.Ok(after);
    }

    private static async Task<RolePermissionDto> StateAsync(
        TenantSession session, PermissionResolver resolver, IReadOnlyList<(string Name, string DefaultRole, string Description)> known,
        string role, string permission, CancellationToken cancellationToken)
    {
        var overrides = await PermissionResolver.LoadOverridesAsync(session, role, cancellationToken);
        return Describe(resolver, known, role, overrides.GetValueOrDefault(role) ?? []).Permissions.Single(p => p.Permission == permission);
    }

    private static RoleDto Describe(
        PermissionResolver resolver, IReadOnlyList<(string Name, string DefaultRole, string Description)> known, string role, Dictionary<string, bool> overrides)
    {
        var defaults = resolver.DefaultsFor(role);
        var effective = resolver.Effective(role, overrides);
        var permissions = known
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new RolePermissionDto(p.Name, p.Description, p.DefaultRole, effective.Contains(p.Name),
                overrides.ContainsKey(p.Name) ? SourceOverride : SourceDefault, defaults.Contains(p.Name)))
            .ToList();
        return new RoleDto(role, [.. effective.Where(resolver.IsKnown).Order(StringComparer.Ordinal)], permissions);
    }

    /// <summary>Refuses an unknown role (404), a malformed (400) or unknown (404) permission, or a role the caller cannot grant (403).</summary>
    private static ProblemHttpResult? CheckTarget(string requested, string permission, PermissionResolver resolver, TenantContext tenant, out string role)
    {
        role = Roles.All.FirstOrDefault(r => string.Equals(r, requested, StringComparison.OrdinalIgnoreCase)) ?? requested;
        if (!Roles.IsRole(role))
        {
            return TypedResults.Problem(statusCode: 404, title: "Role not found", detail: $"'{requested}' is not a role. Roles: {string.Join(", ", Roles.All)}.");
        }
        if (!PermissionName().IsMatch(permission))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid permission", detail: "A permission has the form area:action (lower case), e.g. hello:write.");
        }
        if (!resolver.IsKnown(permission))
        {
            return TypedResults.Problem(statusCode: 404, title: "Permission not found",
                detail: $"No loaded plugin and not the host declares the permission '{permission}'.");
        }
        return tenant.CanGrant(role)
            ? null
            : TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: $"A {tenant.Role} cannot change the permissions of the role {role}.");
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$")]
    private static partial Regex PermissionName();
}
