using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using QmsAgentHost.Api;
using QmsAgentHost.Sdk.Tenancy;
using QmsAgentHost.Tenancy;

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
