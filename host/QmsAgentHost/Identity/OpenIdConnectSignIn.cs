using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using QmsAgentHost.Data;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Identity;

public sealed class OpenIdConnectSignInOptions
{
    public const string SectionName = "Authentication:OpenIdConnect";
    public const string Scheme = "oidc";

    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string DisplayName { get; set; } = "Single sign-on";

    /// <summary>The claim whose value is the user's login in this host (usually the e-mail address).</summary>
    public string LoginClaim { get; set; } = "email";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>
/// Optional single sign-on. When <c>Authentication:OpenIdConnect</c> names an authority and a client,
/// the console offers it; the identity provider's user is matched to an existing user of this host
/// by login (e-mail) and then signed in with the cookie like a password user. No account is created
/// implicitly: an administrator decides who belongs to which tenant.
/// </summary>
internal static class OpenIdConnectSignIn
{
    /// <summary>
    /// Registers the <c>oidc</c> scheme when configured. Configuration is read when options are first
    /// built, not here, so sources added after this call (tests, the command line) still count.
    /// </summary>
    public static AuthenticationBuilder AddOpenIdConnectSignIn(this AuthenticationBuilder authentication)
    {
        var services = authentication.Services;
        services.AddOptions<OpenIdConnectSignInOptions>().BindConfiguration(OpenIdConnectSignInOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<OpenIdConnectSignInOptions>>().Value);
        // What AddOpenIdConnect does, made conditional on the configuration: the scheme, its options and their post-configuration.
        services.AddOptions<AuthenticationOptions>().Configure<OpenIdConnectSignInOptions>((o, sso) =>
        {
            if (sso.IsConfigured)
            {
                o.AddScheme<OpenIdConnectHandler>(OpenIdConnectSignInOptions.Scheme, sso.DisplayName);
            }
        });
        services.AddOptions<OpenIdConnectOptions>(OpenIdConnectSignInOptions.Scheme).Configure<OpenIdConnectSignInOptions>((o, sso) =>
        {
            o.Authority = sso.Authority;
            o.ClientId = sso.ClientId;
            o.ClientSecret = sso.ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("profile");
            o.Scope.Add("email");
            o.Events.OnTokenValidated = MapToLocalUserAsync;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        // The sign-in page's single-sign-on button posts to the page and is redirected to the provider.
        services.AddOptions<Api.ContentSecurityPolicyOptions>().Configure<OpenIdConnectSignInOptions>((csp, sso) =>
        {
            if (sso.IsConfigured && Uri.TryCreate(sso.Authority, UriKind.Absolute, out var authority))
            {
                csp.FormActionSources.Add(authority.GetLeftPart(UriPartial.Authority));
            }
        });
        return authentication;
    }

    private static async Task MapToLocalUserAsync(TokenValidatedContext context)
    {
        var options = context.HttpContext.RequestServices.GetRequiredService<OpenIdConnectSignInOptions>();
        var login = context.Principal?.FindFirstValue(options.LoginClaim)?.Trim().ToLowerInvariant();
        // The organization the person chose on the sign-in page travels through the provider in the state.
        var organization = context.Properties?.Items.TryGetValue(OrganizationItem, out var slug) == true ? slug : null;
        var dataSources = context.HttpContext.RequestServices.GetRequiredService<QmsDataSources>();
        var principal = login is null || string.IsNullOrEmpty(organization)
            ? null
            : await FindLocalUserAsync(dataSources, organization, login, context.Principal!.FindFirstValue("sub"), context.HttpContext.RequestAborted);
        if (principal is null)
        {
            context.Fail($"No active user of organization '{organization}' has the login '{login}'. Ask an administrator to add you.");
            return;
        }
        context.Principal = principal;
    }

    /// <summary>The key of the authentication property that carries the organization's slug.</summary>
    public const string OrganizationItem = "qms:org";

    internal static async Task<ClaimsPrincipal?> FindLocalUserAsync(
        QmsDataSources dataSources, string organization, string login, string? subject, CancellationToken cancellationToken)
    {
        if (await dataSources.ResolveOrganizationAsync(organization, cancellationToken) is not { } orgId)
        {
            return null;
        }
        await using var session = await dataSources.BeginTenantAsync(orgId, null, cancellationToken);
        await using var command = session.CreateCommand("""
            UPDATE core.users SET external_subject = coalesce(external_subject, @subject)
            WHERE login = @login AND NOT disabled AND (external_subject IS NULL OR external_subject = @subject OR @subject IS NULL)
            RETURNING user_id, display_name, role, security_stamp
            """);
        command.Parameters.AddWithValue("login", login);
        command.Parameters.AddWithValue("subject", NpgsqlTypes.NpgsqlDbType.Text, (object?)subject ?? DBNull.Value);
        ClaimsPrincipal? principal = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                principal = new ClaimsPrincipal(new ClaimsIdentity(
                [
                    new Claim(QmsClaims.OrgId, orgId.ToString()),
                    new Claim(QmsClaims.UserId, reader.GetGuid(0).ToString()),
                    new Claim(QmsClaims.Role, reader.GetString(2)),
                    new Claim(ClaimTypes.Name, reader.GetString(1)),
                    new Claim(QmsClaims.SecurityStamp, reader.GetGuid(3).ToString()),
                ], OpenIdConnectSignInOptions.Scheme));
            }
        }
        await session.CommitAsync(cancellationToken);
        return principal;
    }
}
