using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace QmsAgentHost.BrowserTests;

/// <summary>A person signing in to the console with a real browser: the demo tenant's users, the form, throttling, sign-out.</summary>
public sealed partial class SignInPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private const string WrongSignIn = "The organization, login or password is wrong. After repeated failures from one place, sign-in waits a little longer before it checks again.";

    private static async Task SignInAsync(IPage page, string login, string password, string organization = "acme")
    {
        await page.GetByLabel("Organization").FillAsync(organization);
        await page.GetByLabel("Login (e-mail)").FillAsync(login);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    private static Task ExpectOnSignInPageAsync(IPage page) =>
        Assertions.Expect(page).ToHaveURLAsync(SignInUrl());

    [Fact]
    public async Task A_demo_user_signs_in_through_the_form_and_sees_who_they_are()
    {
        var page = await host.NewPageAsync();

        await page.GotoAsync("/");
        await ExpectOnSignInPageAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await SignInAsync(page, "manager@acme.example", BrowserHost.DemoPassword);

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("Signed in as Maria Manager (Manager) — Acme Manufacturing");
        await Assertions.Expect(page.GetByTestId("permissions")).ToContainTextAsync("hello:write");
        await Assertions.Expect(page.GetByTestId("permissions")).Not.ToContainTextAsync("admin:users");
        var cssLoaded = await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.card')).borderRadius");
        Assert.Equal("8px", cssLoaded);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserHost.ArtifactsDirectory, "landing-page.png"), FullPage = true });
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_and_stays_signed_out()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/sign-in");

        await SignInAsync(page, "analyst@acme.example", "not-the-password");

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(WrongSignIn);
        await ExpectOnSignInPageAsync(page);
        await Assertions.Expect(page.GetByLabel("Password")).ToBeEmptyAsync();
        await page.GotoAsync("/");
        await ExpectOnSignInPageAsync(page);
    }

    [Fact]
    public async Task Repeated_failures_slow_this_browser_down_with_the_same_answer_and_another_organization_is_no_shortcut()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/sign-in");

        for (var attempt = 0; attempt <= BrowserHost.FreeFailures; attempt++)
        {
            await SignInAsync(page, "viewer@acme.example", "wrong-password-" + attempt);
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(WrongSignIn);
        }
        // The right password now waits too, and the page says exactly what it says for a wrong one.
        await SignInAsync(page, "viewer@acme.example", BrowserHost.DemoPassword);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(WrongSignIn);
        await SignInAsync(page, "viewer@acme.example", BrowserHost.DemoPassword, organization: "no-such-org");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(WrongSignIn);

        await ExpectOnSignInPageAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserHost.ArtifactsDirectory, "sign-in-throttled.png"), FullPage = true });
    }

    [Fact]
    public async Task An_organizations_own_address_fills_in_the_organization()
    {
        var page = await host.NewPageAsync();

        await page.GotoAsync("/sign-in?org=acme");

        await Assertions.Expect(page.GetByLabel("Organization")).ToHaveValueAsync("acme");
        await page.GetByLabel("Login (e-mail)").FillAsync("analyst@acme.example");
        await page.GetByLabel("Password").FillAsync(BrowserHost.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("Ana Analyst (Analyst)");
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await SignInAsync(page, "auditor@acme.example", BrowserHost.DemoPassword);
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("Audrey Auditor (Auditor)");

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await ExpectOnSignInPageAsync(page);
        await page.GotoAsync("/");
        await ExpectOnSignInPageAsync(page);
    }

    [GeneratedRegex("/sign-in(\\?.*)?$")]
    private static partial Regex SignInUrl();
}
