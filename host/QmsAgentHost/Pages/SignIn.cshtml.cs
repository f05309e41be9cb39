using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using QmsAgentHost.Identity;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Pages;

public sealed class SignInForm
{
    [Required, StringLength(63)]
    public string Organization { get; set; } = "";

    [Required, StringLength(254)]
    public string Login { get; set; } = "";

    [Required, StringLength(512)]
    public string Password { get; set; } = "";
}

/// <summary>
/// The console's password sign-in: organization, login and password (ADR 0011), with the same
/// throttling, the same single answer to every failure and the same rate limit as <c>POST /api/auth/sign-in</c>.
/// <c>/sign-in?org=acme</c> fills in the organization, so each organization can bookmark its own address.
/// </summary>
[EnableRateLimiting(IdentityExtensions.SignInRateLimit)]
public sealed class SignInModel(PasswordSignIn signIn, TenantContext tenant, OpenIdConnectSignInOptions singleSignOn) : PageModel
{
    [BindProperty]
    public SignInForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true, Name = "org")]
    public string? Org { get; set; }

    public string? Error { get; private set; }

    public string? SingleSignOnName => singleSignOn.IsConfigured ? singleSignOn.DisplayName : null;

    public IActionResult OnGet()
    {
        if (tenant.IsAuthenticated)
        {
            return LocalRedirect(Destination);
        }
        Form.Organization = Org?.Trim().ToLowerInvariant() ?? "";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            Error = "Enter your organization, your login and your password.";
            Form.Password = "";
            return Page();
        }
        var result = await signIn.SignInAsync(Form.Organization, Form.Login, Form.Password, AuthApi.ClientAddress(HttpContext), tenant.CorrelationId, cancellationToken);
        Form.Password = "";
        if (result.Outcome != SignInOutcome.Succeeded)
        {
            Error = AuthApi.SignInFailed;
            return Page();
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!);
        return LocalRedirect(Destination);
    }

    public IActionResult OnPostSingleSignOn()
    {
        if (!singleSignOn.IsConfigured)
        {
            return NotFound();
        }
        var properties = new AuthenticationProperties { RedirectUri = Destination };
        properties.Items[OpenIdConnectSignIn.OrganizationItem] = Form.Organization.Trim().ToLowerInvariant();
        return Challenge(properties, OpenIdConnectSignInOptions.Scheme);
    }

    // Only a path on this site: a crafted link must not send the user elsewhere after signing in.
    private string Destination => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";
}
