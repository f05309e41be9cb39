using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace QmsAgentHost.BrowserTests;

/// <summary>A person signing in to the console with a real browser: the demo tenant's users, the form, lockout, sign-out.</summary>
public sealed partial class SignInPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static async Task SignInAsync(IPage page, string login, string password)
    {
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

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong login or password.");
        await ExpectOnSignInPageAsync(page);
        await Assertions.Expect(page.GetByLabel("Password")).ToBeEmptyAsync();
        await page.GotoAsync("/");
        await ExpectOnSignInPageAsync(page);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_and_the_page_says_so()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/sign-in");

        for (var attempt = 1; attempt < BrowserHost.MaxFailedAttempts; attempt++)
        {
            await SignInAsync(page, "viewer@acme.example", "wrong-password-" + attempt);
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong login or password.");
        }
        await SignInAsync(page, "viewer@acme.example", "wrong-password-last");
        await Assertions.Expect(page.GetByTestId("sign-in-locked")).ToContainTextAsync("This account is locked until");
        await SignInAsync(page, "viewer@acme.example", BrowserHost.DemoPassword);

        await Assertions.Expect(page.GetByTestId("sign-in-locked")).ToContainTextAsync("This account is locked until");
        await ExpectOnSignInPageAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserHost.ArtifactsDirectory, "sign-in-locked.png"), FullPage = true });
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
