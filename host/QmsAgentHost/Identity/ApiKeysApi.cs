using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using NpgsqlTypes;
using QmsAgentHost.Api;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Tenancy;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Identity;

public sealed record CreateApiKeyRequest(
    [property: Required, StringLength(100)] string Name,
    [property: Required] string Role,
    DateTimeOffset? ExpiresAt);

/// <summary>An API key as listed: never its secret.</summary>
public sealed record ApiKeyDto(
    Guid Id, string Name, string Role, Guid UserId, string UserLogin, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>The answer to creating a key: the only time <paramref name="Token"/> is shown.</summary>
public sealed record CreatedApiKeyDto(ApiKeyDto Key, string Token);

/// <summary>
/// API keys. Creating one needs <c>apikeys:create</c> and a role the caller could grant. Anyone
/// signed in may list and revoke their own keys (taking away one's own access is always allowed);
/// holders of <c>admin:users</c> may list (<c>?all=true</c>) and revoke every key of the tenant.
/// </summary>
public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder group)
    {
        group.WithTags("API keys");
        group.MapPost("/", CreateAsync).RequirePermission(CorePermissions.ApiKeysCreate)
            .WithSummary("Issues an API key for the caller; the token is in this answer only and is never shown again.");
        group.MapGet("/", ListAsync).WithSummary("The caller's keys; with ?all=true (admin:users) every key of the organization.");
        group.MapDelete("/{id:guid}", RevokeAsync).WithSummary("Revokes a key: the caller's own, or any key for admin:users.");
        return group;
    }

    private static async Task<Results<Created<CreatedApiKeyDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateApiKeyRequest request, ITenantDatabase database, TenantContext tenant, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Validation.Validate(request,
                (nameof(request.Name), string.IsNullOrWhiteSpace(request.Name) ? "The name must not be blank." : null),
                (nameof(request.Role), Roles.IsRole(request.Role) ? null : $"The role must be one of {string.Join(", ", Roles.All)}."),
                (nameof(request.ExpiresAt), request.ExpiresAt <= clock.GetUtcNow() ? "The expiry must be in the future." : null)) is { } invalid)
        {
            return invalid;
        }
        if (!tenant.CanGrant(request.Role))
        {
            return UserChange.CannotGrant(tenant.Role, request.Role);
        }
        await using var session = await database.BeginAsync(cancellationToken);
        var (keyId, token) = await TenantProvisioner.InsertApiKeyAsync(
            session, tenant.UserId, request.Name.Trim(), request.Role, request.ExpiresAt, null, AuditActor.From(tenant), cancellationToken);
        var key = (await FindAsync(session, keyId, cancellationToken))!;
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/api-keys/{keyId}", new CreatedApiKeyDto(key, token));
    }

    private static async Task<Results<Ok<List<ApiKeyDto>>, ProblemHttpResult>> ListAsync(
        ITenantDatabase database, ITenantContext tenant, CancellationToken cancellationToken, bool all = false)
    {
        if (all && !tenant.HasPermission(CorePermissions.AdminUsers))
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: $"Listing everyone's keys needs permission '{CorePermissions.AdminUsers}'.");
        }
        await using var session = await database.BeginAsync(cancellationToken);
        await using var command = session.CreateCommand($"{Select} WHERE @user::uuid IS NULL OR k.user_id = @user ORDER BY k.created_at, k.key_id");
        command.Parameters.AddWithValue("user", NpgsqlDbType.Uuid, all ? DBNull.Value : tenant.UserId);
        var keys = await ReadAllAsync(command, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(keys);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        Guid id, ITenantDatabase database, TenantContext tenant, IAuditTrail audit, IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var key = await FindAsync(session, id, cancellationToken, forUpdate: true);
        // Someone else's key is answered like a missing one unless the caller may manage every key.
        if (key is null || (key.UserId != tenant.UserId && !tenant.HasPermission(CorePermissions.AdminUsers)))
        {
            return TypedResults.Problem(statusCode: 404, title: "API key not found", detail: $"You have no API key {id}.");
        }
        // Managing someone else's key follows the rule for managing them (ADR 0006): only a user whose
        // role, and a key whose role, the caller could grant. So an Admin cannot touch the Owner's keys.
        if (key.UserId != tenant.UserId && (!tenant.CanGrant(key.Role) || !tenant.CanGrant(await OwnerRoleAsync(session, key.UserId, cancellationToken))))
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden",
                detail: $"A {tenant.Role} cannot manage the API keys of a user whose role it could not grant, nor a key issued as {key.Role}.");
        }
        if (key.RevokedAt is null)
        {
            await using (var revoke = session.CreateCommand("UPDATE core.api_keys SET revoked_at = now() WHERE key_id = @id"))
            {
                revoke.Parameters.AddWithValue("id", id);
                await revoke.ExecuteNonQueryAsync(cancellationToken);
            }
            var after = (await FindAsync(session, id, cancellationToken))!;
            await audit.RecordAsync(session, new AuditEntry("apikey.revoked", "api-key", id.ToString()) { Before = key, After = after }, cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
        services.CallerChanged(tenant.OrgId);
        return TypedResults.NoContent();
    }

    private static async Task<string> OwnerRoleAsync(TenantSession session, Guid userId, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand("SELECT role FROM core.users WHERE user_id = @id");
        command.Parameters.AddWithValue("id", userId);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private const string Select = """
        SELECT k.key_id, k.name, k.role, k.user_id, u.login, k.created_at, k.expires_at, k.last_used_at, k.revoked_at
        FROM core.api_keys k JOIN core.users u ON u.user_id = k.user_id
        """;

    private static async Task<ApiKeyDto?> FindAsync(TenantSession session, Guid keyId, CancellationToken cancellationToken, bool forUpdate = false)
    {
        await using var command = session.CreateCommand($"{Select} WHERE k.key_id = @id {(forUpdate ? "FOR UPDATE OF k" : "")}");
        command.Parameters.AddWithValue("id", keyId);
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    private static async Task<List<ApiKeyDto>> ReadAllAsync(Npgsql.NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var keys = new List<ApiKeyDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyDto(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
        }
        return keys;
    }
}
