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
    [Required, StringLength(254)]
    public string Login { get; set; } = "";

    [Required, StringLength(512)]
    public string Password { get; set; } = "";
}

/// <summary>The console's password sign-in; the same lockout and the same rate limit as <c>POST /api/auth/sign-in</c>.</summary>
[EnableRateLimiting(IdentityExtensions.SignInRateLimit)]
public sealed class SignInModel(PasswordSignIn signIn, TenantContext tenant, OpenIdConnectSignInOptions singleSignOn) : PageModel
{
    [BindProperty]
    public SignInForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }

    public string? SingleSignOnName => singleSignOn.IsConfigured ? singleSignOn.DisplayName : null;

    public IActionResult OnGet() => tenant.IsAuthenticated ? LocalRedirect(Destination) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            Error = "Enter your login and your password.";
            return Page();
        }
        var result = await signIn.SignInAsync(Form.Login, Form.Password, tenant.CorrelationId, cancellationToken);
        Form.Password = "";
        switch (result.Outcome)
        {
            case SignInOutcome.Succeeded:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!);
                return LocalRedirect(Destination);
            case SignInOutcome.LockedOut:
                LockedUntil = result.LockedUntil;
                return Page();
            default:
                Error = "Wrong login or password.";
                return Page();
        }
    }

    public IActionResult OnPostSingleSignOn() => singleSignOn.IsConfigured
        ? Challenge(new AuthenticationProperties { RedirectUri = Destination }, OpenIdConnectSignInOptions.Scheme)
        : NotFound();

    // Only a path on this site: a crafted link must not send the user elsewhere after signing in.
    private string Destination => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";
}
