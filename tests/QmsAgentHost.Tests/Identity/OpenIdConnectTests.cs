using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QmsAgentHost.Data;
using QmsAgentHost.Identity;

namespace QmsAgentHost.Tests.Identity;

public sealed class OidcHost : IdentityHost
{
    protected override Dictionary<string, string?> Settings => new()
    {
        // Never contacted: the tests only look at the wiring and the mapping to local users.
        ["Authentication:OpenIdConnect:Authority"] = "https://sso.invalid/realms/acme",
        ["Authentication:OpenIdConnect:ClientId"] = "qms-console",
        ["Authentication:OpenIdConnect:DisplayName"] = "Acme SSO",
    };
}

public sealed class OpenIdConnectTests(OidcHost host) : IClassFixture<OidcHost>
{
    [Fact]
    public async Task When_configured_the_oidc_scheme_uses_code_flow_with_pkce_and_signs_in_with_the_cookie()
    {
        var schemes = host.Factory.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        var scheme = await schemes.GetSchemeAsync(OpenIdConnectSignInOptions.Scheme);

        Assert.NotNull(scheme);
        Assert.Equal(typeof(OpenIdConnectHandler), scheme.HandlerType);
        Assert.Equal("Acme SSO", scheme.DisplayName);
        var options = host.Factory.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectSignInOptions.Scheme);
        Assert.Equal("code", options.ResponseType);
        Assert.True(options.UsePkce);
        Assert.Equal("https://sso.invalid/realms/acme", options.Authority);
        Assert.Equal("qms-console", options.ClientId);
        Assert.Equal("Cookies", options.SignInScheme);
        Assert.Contains("email", options.Scope);
        Assert.NotNull(options.Events.OnTokenValidated);
    }

    [Fact]
    public async Task The_token_validated_event_maps_the_email_claim_to_the_local_user()
    {
        var tenant = await host.NewTenantAsync("oidc");
        var options = host.Factory.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectSignInOptions.Scheme);
        var scheme = (await host.Factory.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(OpenIdConnectSignInOptions.Scheme))!;
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var external = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "idp-42"), new Claim("email", tenant.Login(Roles.Manager).ToUpperInvariant())], "idp"));
        var properties = new AuthenticationProperties(new Dictionary<string, string?> { [OpenIdConnectSignIn.OrganizationItem] = tenant.Slug });
        var context = new TokenValidatedContext(new DefaultHttpContext { RequestServices = scope.ServiceProvider }, scheme, options, external, properties);

        await options.Events.OnTokenValidated(context);

        Assert.Null(context.Result);
        Assert.Equal(tenant.UserId(Roles.Manager).ToString(), context.Principal!.FindFirstValue(QmsClaims.UserId));
        Assert.Equal(tenant.OrgId.ToString(), context.Principal!.FindFirstValue(QmsClaims.OrgId));
        Assert.Equal(Roles.Manager, context.Principal!.FindFirstValue(QmsClaims.Role));
    }

    [Fact]
    public async Task Only_an_existing_enabled_user_bound_to_the_same_subject_is_found()
    {
        var tenant = await host.NewTenantAsync("oidcmap");
        var dataSources = host.Factory.Services.GetRequiredService<QmsDataSources>();

        var first = await OpenIdConnectSignIn.FindLocalUserAsync(dataSources, tenant.Slug, tenant.Login(Roles.Viewer), "subject-1", CancellationToken.None);
        var again = await OpenIdConnectSignIn.FindLocalUserAsync(dataSources, tenant.Slug, tenant.Login(Roles.Viewer), "subject-1", CancellationToken.None);
        var otherSubject = await OpenIdConnectSignIn.FindLocalUserAsync(dataSources, tenant.Slug, tenant.Login(Roles.Viewer), "subject-2", CancellationToken.None);
        var unknown = await OpenIdConnectSignIn.FindLocalUserAsync(dataSources, tenant.Slug, $"stranger@{tenant.Slug}.test", "subject-3", CancellationToken.None);
        (await tenant.ClientFor(Roles.Admin).PostAsync($"/api/users/{tenant.UserId(Roles.Analyst)}/disable", null)).EnsureSuccessStatusCode();
        var disabled = await OpenIdConnectSignIn.FindLocalUserAsync(dataSources, tenant.Slug, tenant.Login(Roles.Analyst), "subject-4", CancellationToken.None);

        Assert.Equal(tenant.UserId(Roles.Viewer).ToString(), first?.FindFirstValue(QmsClaims.UserId));
        Assert.NotNull(again);
        Assert.Null(otherSubject);
        Assert.Null(unknown);
        Assert.Null(disabled);
    }
}

public sealed class OpenIdConnectOffTests(IdentityHost host) : IClassFixture<IdentityHost>
{
    [Fact]
    public async Task Without_configuration_there_is_no_oidc_scheme()
    {
        var scheme = await host.Factory.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(OpenIdConnectSignInOptions.Scheme);

        Assert.Null(scheme);
    }
}
