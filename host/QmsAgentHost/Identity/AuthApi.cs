using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using QmsAgentHost.Api;
using QmsAgentHost.Sdk.Tenancy;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Identity;

/// <param name="Organization">The organization's slug, e.g. <c>acme</c> (ADR 0011).</param>
/// <param name="Login">The user's login within that organization.</param>
/// <param name="Password">The user's password.</param>
public sealed record SignInRequest(
    [property: Required, StringLength(63)] string Organization,
    [property: Required, StringLength(254)] string Login,
    [property: Required, StringLength(512)] string Password);

public sealed record MeResponse(Guid OrgId, Guid UserId, Guid? SiteId, string Name, string Role, string AuthenticationMethod, IReadOnlyList<string> Permissions);

public static class AuthApi
{
    /// <summary>The one answer to every failed sign-in: unknown organization or login, wrong password, or too many attempts.</summary>
    public const string SignInFailed =
        "The organization, login or password is wrong. After repeated failures from one place, sign-in waits a little longer before it checks again.";

    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder group)
    {
        group.WithTags("Authentication");
        group.MapPost("/sign-in", SignInAsync).AllowAnonymous().RequireRateLimiting(IdentityExtensions.SignInRateLimit)
            .WithSummary("Signs in with organization, login and password and sets the session cookie.");
        group.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.NoContent();
        }).WithSummary("Ends the caller's session (clears the cookie).");
        group.MapGet("/me", (TenantContext tenant) => TypedResults.Ok(new MeResponse(
            tenant.OrgId, tenant.UserId, tenant.SiteId, tenant.UserName, tenant.Role,
            tenant.AuthenticationMethod, [.. tenant.Permissions.Order(StringComparer.Ordinal)])));
        return group;
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SignInAsync(
        SignInRequest request, HttpContext http, PasswordSignIn signIn, ITenantContext tenant, CancellationToken cancellationToken)
    {
        if (Validation.Validate(request) is { } invalid)
        {
            return invalid;
        }
        var result = await signIn.SignInAsync(request.Organization, request.Login, request.Password, ClientAddress(http), tenant.CorrelationId, cancellationToken);
        if (result.Outcome != SignInOutcome.Succeeded)
        {
            return TypedResults.Problem(statusCode: 401, title: "Sign-in failed", detail: SignInFailed);
        }
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!);
        return TypedResults.NoContent();
    }

    /// <summary>The client's address as the proxies in front of the host report it (ForwardedHeaders), for throttling.</summary>
    internal static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
