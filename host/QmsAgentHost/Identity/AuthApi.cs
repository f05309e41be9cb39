using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using QmsAgentHost.Sdk.Tenancy;

namespace QmsAgentHost.Identity;

public sealed record SignInRequest([property: Required, StringLength(254)] string Login, [property: Required, StringLength(512)] string Password);

public sealed record MeResponse(Guid OrgId, Guid UserId, Guid? SiteId, string Name, string Role, string AuthenticationMethod, IReadOnlyList<string> Permissions);

public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder group)
    {
        group.WithTags("Authentication");
        group.MapPost("/sign-in", SignInAsync).AllowAnonymous().RequireRateLimiting(IdentityExtensions.SignInRateLimit)
            .WithSummary("Signs in with login and password and sets the session cookie. Locks the account after repeated failures.");
        group.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.NoContent();
        }).AllowAnonymous();
        group.MapGet("/me", (ITenantContext tenant) => TypedResults.Ok(new MeResponse(
            tenant.OrgId, tenant.UserId, tenant.SiteId, tenant.UserName, tenant.Role,
            ((TenantContext)tenant).AuthenticationMethod, [.. tenant.Permissions.Order(StringComparer.Ordinal)])))
            .RequireAuthorization();
        return group;
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SignInAsync(
        SignInRequest request, HttpContext http, PasswordSignIn signIn, TenantContext tenant, CancellationToken cancellationToken)
    {
        if (Validation.Validate(request) is { } invalid)
        {
            return invalid;
        }
        var result = await signIn.SignInAsync(request.Login, request.Password, tenant.CorrelationId, cancellationToken);
        switch (result.Outcome)
        {
            case SignInOutcome.Succeeded:
                await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!);
                return TypedResults.NoContent();
            case SignInOutcome.LockedOut:
                return TypedResults.Problem(statusCode: 423, title: "Account locked",
                    detail: $"Too many failed sign-ins. Try again after {result.LockedUntil:u} or ask an administrator.");
            default:
                return TypedResults.Problem(statusCode: 401, title: "Sign-in failed", detail: "The login or password is wrong.");
        }
    }
}

/// <summary>Data-annotation validation for minimal-API request bodies, answered as RFC 7807 validation problems.</summary>
public static class Validation
{
    /// <summary>
    /// Checks the data annotations of <paramref name="request"/> plus <paramref name="checks"/> (a field
    /// and an error message, or null when the field is fine); all errors come back in one problem, keyed
    /// by the field's JSON name (camelCase), as the client wrote it.
    /// </summary>
    public static ValidationProblem? Validate(object request, params (string Field, string? Error)[] checks)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(request, new ValidationContext(request), results, validateAllProperties: true);
        var errors = results
            .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Member: m, Error: r.ErrorMessage ?? "invalid")))
            .Concat(checks.Where(c => c.Error is not null).Select(c => (Member: c.Field, Error: c.Error!)))
            .GroupBy(x => JsonNamingPolicy.CamelCase.ConvertName(x.Member))
            .ToDictionary(g => g.Key, g => g.Select(x => x.Error).Distinct().ToArray());
        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors);
    }
}
