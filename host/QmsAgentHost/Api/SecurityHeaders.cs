using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace QmsAgentHost.Api;

/// <summary>
/// The one place the host's response security headers are decided, for every page and API answer
/// (pages added later, such as the chat console, share <see cref="PagePolicy"/>):
/// <list type="bullet">
/// <item>HTML pages: a strict Content-Security-Policy: scripts, styles, images and fonts from this
/// origin only, no inline script or style, no plugins, no framing, forms post only to this origin
/// (and to the single-sign-on provider when one is configured);</item>
/// <item>everything else: <c>default-src 'none'</c>, so a JSON answer can never run as a page;</item>
/// <item>always: <c>X-Content-Type-Options: nosniff</c>, <c>Referrer-Policy: no-referrer</c>, and
/// <c>Cache-Control: no-store</c> unless the response says how it may be cached (static assets do),
/// so no proxy or browser keeps an API answer, a new key's token among them;</item>
/// <item>over https (as the client saw it, behind a proxy too): HSTS for a year.</item>
/// </list>
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next, IOptions<ContentSecurityPolicyOptions> options)
{
    private readonly string _pagePolicy = PagePolicy(options.Value);

    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>The policy every HTML page of the host is served with.</summary>
    public static string PagePolicy(ContentSecurityPolicyOptions options)
    {
        var formTargets = string.Join(' ', ["'self'", .. options.FormActionSources.Distinct(StringComparer.Ordinal)]);
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            + $"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action {formTargets}";
    }

    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            var isHtml = http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
            headers.ContentSecurityPolicy = isHtml ? _pagePolicy : ApiPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (!headers.ContainsKey(HeaderNames.CacheControl) && !headers.ContainsKey(HeaderNames.ETag) && !headers.ContainsKey(HeaderNames.LastModified))
            {
                headers.CacheControl = "no-store";
            }
            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }
            return Task.CompletedTask;
        });
        return next(http);
    }
}

/// <summary>What capabilities add to the pages' policy (the single-sign-on provider a form is redirected to).</summary>
public sealed class ContentSecurityPolicyOptions
{
    /// <summary>Origins a page's form may post to, or be redirected to from, besides this one.</summary>
    public IList<string> FormActionSources { get; } = [];
}
