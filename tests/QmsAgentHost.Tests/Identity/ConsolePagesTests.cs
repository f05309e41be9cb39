using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using QmsAgentHost.Identity;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Identity;

/// <summary>The console pages over HTTP (the browser tests drive them in Chromium).</summary>
public sealed partial class ConsolePagesTests(IdentityHost host) : IClassFixture<IdentityHost>
{
    /// <summary>Loads the sign-in form and returns a maker of its POST bodies, antiforgery token included.</summary>
    public static async Task<Func<string, string, FormUrlEncodedContent>> SignInFormAsync(HttpClient client)
    {
        var html = await client.GetStringAsync("/sign-in");
        var token = AntiforgeryToken().Match(html).Groups[1].Value;
        Assert.NotEmpty(token);
        return (login, password) => new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.Organization"] = TestTenant.SlugOf(login), ["Form.Login"] = login, ["Form.Password"] = password, ["__RequestVerificationToken"] = token,
        });
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in()
    {
        var client = host.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sign-in", response.Headers.Location?.AbsolutePath);
        Assert.Contains("ReturnUrl=%2F", response.Headers.Location?.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_form_signs_in_and_the_landing_page_names_the_user_role_and_organization()
    {
        var tenant = await host.NewTenantAsync("pages");
        var client = host.Factory.CreateClient();
        var form = await SignInFormAsync(client);

        var response = await client.PostAsync("/sign-in?ReturnUrl=%2F", form(tenant.Login(Roles.Analyst), TestTenant.Password));

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal("/", response.RequestMessage?.RequestUri?.AbsolutePath);
        Assert.Contains($"Signed in as <strong>Analyst of {tenant.Slug}</strong> (Analyst) — Tenant {tenant.Slug}", html, StringComparison.Ordinal);
        Assert.Contains("<code>hello:write</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        var tenant = await host.NewTenantAsync("csrf");
        var client = host.Factory.CreateClient();

        var response = await client.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.Login"] = tenant.Login(Roles.Owner), ["Form.Password"] = TestTenant.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_ignored()
    {
        var tenant = await host.NewTenantAsync("redirect");
        var client = host.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = await SignInFormAsync(client);

        var response = await client.PostAsync("/sign-in?ReturnUrl=https%3A%2F%2Fevil.example%2F", form(tenant.Login(Roles.Viewer), TestTenant.Password));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_stylesheet_is_served_locally()
    {
        var response = await host.Factory.CreateClient().GetAsync("/css/site.css");

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
