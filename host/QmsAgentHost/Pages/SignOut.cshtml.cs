using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QmsAgentHost.Sdk.Tenancy;

namespace QmsAgentHost.Pages;

/// <summary>Signing out is a POST (with the antiforgery token), so a link or an image cannot sign anyone out.</summary>
public sealed class SignOutModel(ITenantContext tenant) : PageModel
{
    public bool SignedIn => tenant.IsAuthenticated;

    public string Name => tenant.UserName;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return RedirectToPage("/SignIn");
    }
}
