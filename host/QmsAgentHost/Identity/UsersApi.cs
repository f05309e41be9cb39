using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using QmsAgentHost.Api;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Tenancy;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Identity;

public sealed record CreateUserRequest(
    [property: Required, EmailAddress, StringLength(254, MinimumLength = 3)] string Login,
    [property: Required, StringLength(200)] string DisplayName,
    [property: Required] string Role,
    [property: StringLength(32)] string? SiteCode,
    [property: Required] string Password);

/// <summary>Only the fields given change. <c>SiteCode: ""</c> removes the user's site.</summary>
public sealed record UpdateUserRequest([property: StringLength(200)] string? DisplayName, string? Role, [property: StringLength(32)] string? SiteCode);

public sealed record ResetPasswordRequest([property: Required] string Password);

/// <summary>
/// The tenant's users, for holders of <c>admin:users</c>. A caller manages only users whose role it
/// could grant (an Admin cannot touch an Owner), assigns only roles it could grant, and nobody can
/// demote or disable the last enabled Owner. Every change is audited in the same transaction.
/// </summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder group)
    {
        group.WithTags("Users").RequirePermission(CorePermissions.AdminUsers);
        group.MapGet("/", ListAsync).WithSummary("The tenant's users, ordered by login, a page at a time.");
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPost("/", CreateAsync).WithSummary("Creates a user with a password (at least 12 characters, not the login).");
        group.MapPatch("/{id:guid}", UpdateAsync).WithSummary("Changes a user's display name, role or site.");
        group.MapPost("/{id:guid}/disable", (Guid id, UserChange change, CancellationToken ct) => change.DisableAsync(id, true, ct));
        group.MapPost("/{id:guid}/enable", (Guid id, UserChange change, CancellationToken ct) => change.DisableAsync(id, false, ct));
        group.MapPost("/{id:guid}/unlock", (Guid id, UserChange change, CancellationToken ct) => change.UnlockAsync(id, ct))
            .WithSummary("Lifts the sign-in throttle of the user's login from every address.");
        group.MapPost("/{id:guid}/reset-password", ResetPasswordAsync).WithSummary("Sets a new password and lifts the sign-in throttle.");
        return group;
    }

    private static async Task<Results<Ok<UserPage>, ValidationProblem>> ListAsync(
        ITenantDatabase database, CancellationToken cancellationToken, int page = 1, int pageSize = 50)
    {
        if (page < 1 || pageSize is < 1 or > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [page < 1 ? "page" : "pageSize"] = [page < 1 ? "page starts at 1." : "pageSize must be between 1 and 200."],
            });
        }
        await using var session = await database.BeginAsync(cancellationToken);
        var users = await UserDirectory.ListAsync(session, page, pageSize, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(users);
    }

    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> GetAsync(Guid id, ITenantDatabase database, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var user = await UserDirectory.FindAsync(session, id, forUpdate: false, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return user is null ? UserChange.NotFound(id) : TypedResults.Ok(user);
    }

    private static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateUserRequest request, ITenantDatabase database, TenantContext tenant, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var login = request.Login?.Trim().ToLowerInvariant();
        if (Validation.Validate(request,
                (nameof(request.DisplayName), string.IsNullOrWhiteSpace(request.DisplayName) ? "The display name must not be blank." : null),
                (nameof(request.Role), Roles.IsRole(request.Role) ? null : $"The role must be one of {string.Join(", ", Roles.All)}."),
                (nameof(request.Password), PasswordPolicy.Check(login, request.Password))) is { } invalid)
        {
            return invalid;
        }
        if (!tenant.CanGrant(request.Role))
        {
            return UserChange.CannotGrant(tenant.Role, request.Role);
        }
        await using var session = await database.BeginAsync(cancellationToken);
        Guid userId;
        try
        {
            userId = await TenantProvisioner.InsertUserAsync(session,
                new NewUser(login!, request.DisplayName.Trim(), request.Role, request.Password, string.IsNullOrEmpty(request.SiteCode) ? null : request.SiteCode),
                null, cancellationToken);
        }
        catch (UnknownSiteException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["siteCode"] = [ex.Message] });
        }
        catch (LoginTakenException ex)
        {
            return TypedResults.Problem(statusCode: 409, title: "Login taken", detail: ex.Message);
        }
        var created = (await UserDirectory.FindAsync(session, userId, forUpdate: false, cancellationToken))!;
        await audit.RecordAsync(session, new AuditEntry("user.created", "user", userId.ToString()) { After = created }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/users/{userId}", created);
    }

    private static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateUserRequest request, UserChange change, CancellationToken cancellationToken)
    {
        if (Validation.Validate(request,
                ("", request.DisplayName is null && request.Role is null && request.SiteCode is null ? "Give at least one of displayName, role, siteCode." : null),
                (nameof(request.DisplayName), request.DisplayName is not null && string.IsNullOrWhiteSpace(request.DisplayName) ? "The display name must not be blank." : null),
                (nameof(request.Role), request.Role is null || Roles.IsRole(request.Role) ? null : $"The role must be one of {string.Join(", ", Roles.All)}.")) is { } invalid)
        {
            return invalid;
        }
        return await change.UpdateAsync(id, request, cancellationToken);
    }

    private static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> ResetPasswordAsync(
        Guid id, ResetPasswordRequest request, UserChange change, CancellationToken cancellationToken)
    {
        if (Validation.Validate(request) is { } invalid)
        {
            return invalid;
        }
        return await change.ResetPasswordAsync(id, request.Password, cancellationToken);
    }
}

/// <summary>One change to an existing user: load and lock it, check the caller may manage it, apply, audit, commit.</summary>
internal sealed class UserChange(ITenantDatabase database, TenantContext tenant, IAuditTrail audit, IServiceProvider services)
{
    public async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(Guid id, UpdateUserRequest request, CancellationToken cancellationToken)
    {
        if (request.Role is not null && !tenant.CanGrant(request.Role))
        {
            return CannotGrant(tenant.Role, request.Role);
        }
        return await ApplyAsync(id, "user.updated", async (session, user) =>
        {
            if (request.Role is not null && request.Role != Roles.Owner && await IsLastOwnerAsync(session, user, cancellationToken))
            {
                return LastOwner();
            }
            Guid? siteId = null;
            if (!string.IsNullOrEmpty(request.SiteCode))
            {
                siteId = await TenantProvisioner.FindSiteAsync(session, request.SiteCode, cancellationToken);
                if (siteId is null)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["siteCode"] = [$"No site with code '{request.SiteCode}'."] });
                }
            }
            await UserDirectory.UpdateAsync(session, user.Id, """
                display_name = coalesce(@name, display_name),
                role = coalesce(@role, role),
                site_id = CASE WHEN @site_given THEN @site ELSE site_id END
                """, cancellationToken,
                ("name", request.DisplayName?.Trim()), ("role", request.Role), ("site_given", request.SiteCode is not null),
                ("site", siteId));
            return null;
        }, cancellationToken);
    }

    public Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> DisableAsync(Guid id, bool disable, CancellationToken cancellationToken) =>
        ApplyAsync(id, disable ? "user.disabled" : "user.enabled", async (session, user) =>
        {
            if (disable && await IsLastOwnerAsync(session, user, cancellationToken))
            {
                return LastOwner();
            }
            await UserDirectory.UpdateAsync(session, user.Id, "disabled = @disabled", cancellationToken, ("disabled", disable));
            return null;
        }, cancellationToken);

    public Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> UnlockAsync(Guid id, CancellationToken cancellationToken) =>
        ApplyAsync(id, "user.unlocked", async (session, user) =>
        {
            await ForgetThrottleAsync(session, user.Login, cancellationToken);
            return null;
        }, cancellationToken);

    public async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> ResetPasswordAsync(Guid id, string password, CancellationToken cancellationToken) =>
        await ApplyAsync(id, "user.password-reset", async (session, user) =>
        {
            if (PasswordPolicy.Check(user.Login, password) is { } weak)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [weak] });
            }
            await UserDirectory.UpdateAsync(session, user.Id, "password_hash = @hash", cancellationToken, ("hash", PasswordSignIn.HashPassword(password)));
            await ForgetThrottleAsync(session, user.Login, cancellationToken);
            return null;
        }, cancellationToken);

    private async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> ApplyAsync(
        Guid id, string action, Func<TenantSession, UserDto, Task<IResult?>> apply, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var before = await UserDirectory.FindAsync(session, id, forUpdate: true, cancellationToken);
        if (before is null)
        {
            return NotFound(id);
        }
        if (!tenant.CanGrant(before.Role))
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden",
                detail: $"A {tenant.Role} cannot manage a user whose role is {before.Role}.");
        }
        switch (await apply(session, before))
        {
            case ValidationProblem invalid:
                return invalid;
            case ProblemHttpResult problem:
                return problem;
        }
        var after = (await UserDirectory.FindAsync(session, id, forUpdate: false, cancellationToken))!;
        await audit.RecordAsync(session, new AuditEntry(action, "user", id.ToString()) { Before = before, After = after }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        services.CallerChanged(tenant.OrgId);
        return TypedResults.Ok(after);
    }

    private static async Task ForgetThrottleAsync(TenantSession session, string login, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand("SELECT core.sign_in_forget(@login)");
        command.Parameters.AddWithValue("login", login);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<bool> IsLastOwnerAsync(TenantSession session, UserDto user, CancellationToken cancellationToken) =>
        user.Role == Roles.Owner && !user.Disabled && await UserDirectory.LockEnabledOwnersAsync(session, cancellationToken) <= 1;

    internal static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: 404, title: "User not found", detail: $"This organization has no user {id}.");

    internal static ProblemHttpResult CannotGrant(string holder, string role) =>
        TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: $"A {holder} cannot grant the role {role}.");

    private static ProblemHttpResult LastOwner() =>
        TypedResults.Problem(statusCode: 409, title: "Last Owner",
            detail: "This is the organization's last enabled Owner: make someone else Owner first.");
}
