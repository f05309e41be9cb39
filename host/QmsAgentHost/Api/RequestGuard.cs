using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Api;

/// <summary>
/// The edge every request passes before authentication and before any endpoint, so that what it
/// refuses is refused for every endpoint, those added later and plugins' own included:
/// <list type="bullet">
/// <item>a correlation id the client sent is kept only if it is short and safe, else one is made;</item>
/// <item>control characters in a header or the path, and a NUL or half a surrogate pair in the query, are 400;</item>
/// <item>a write that relies on the sign-in cookie must come from this site (Sec-Fetch-Site or Origin), else 403;</item>
/// <item>a body must have a content type the endpoint takes (JSON unless it declares others), else 415;</item>
/// <item>a JSON body over the size limit is 413, and one that <see cref="JsonBodyCheck"/> refuses is 400;</item>
/// <item>form fields of the console's pages follow the same text rules.</item>
/// </list>
/// </summary>
internal sealed partial class RequestGuard(RequestDelegate next, IOptions<ApiOptions> options)
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public async Task InvokeAsync(HttpContext http, TenantContext tenant)
    {
        if (http.Request.Headers.TryGetValue(CorrelationHeader, out var sent) && sent.Count == 1 && SafeCorrelationId().IsMatch(sent[0] ?? ""))
        {
            tenant.CorrelationId = sent[0]!;
        }
        http.Response.Headers[CorrelationHeader] = tenant.CorrelationId;

        if (FindProblem(http) is { } refusal)
        {
            await ProblemAsync(http, refusal.Status, refusal.Title, refusal.Detail, refusal.Field);
            return;
        }
        if (await CheckBodyAsync(http) is { } bodyRefusal)
        {
            await ProblemAsync(http, bodyRefusal.Status, bodyRefusal.Title, bodyRefusal.Detail, bodyRefusal.Field);
            return;
        }
        await next(http);
    }

    private sealed record Refusal(int Status, string Title, string Detail, string? Field = null);

    private static Refusal? FindProblem(HttpContext http)
    {
        var request = http.Request;
        foreach (var (name, values) in request.Headers)
        {
            // The correlation id is replaced when unsafe (above), never refused.
            if (!string.Equals(name, CorrelationHeader, StringComparison.OrdinalIgnoreCase) && values.Any(InputText.HasControl))
            {
                return new(400, "Invalid header", $"The header '{Printable(name)}' contains control characters.", name);
            }
        }
        if (InputText.HasControl(request.Path.Value) || InputText.Problem(request.Path.Value) is not null)
        {
            return new(400, "Invalid path", "The path contains control characters or characters that are not text.");
        }
        foreach (var (key, values) in request.Query)
        {
            if ((InputText.Problem(key) ?? values.Select(InputText.Problem).FirstOrDefault(p => p is not null)) is { } problem)
            {
                return new(400, "Invalid query parameter", $"The query parameter '{Printable(key)}' {problem}.", Printable(key));
            }
        }
        return IsCrossSiteCookieWrite(http)
            ? new(403, "Cross-site request refused",
                "A change made with the sign-in cookie must come from this site's own pages (Origin or Sec-Fetch-Site). API clients use an API key.")
            : null;
    }

    // Pages carry an antiforgery token; API-key callers are immune to cross-site forgery. The rest of
    // the unsafe requests that carry the cookie (or sign in) must prove they come from this origin.
    private static bool IsCrossSiteCookieWrite(HttpContext http)
    {
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
            || IsPage(http) || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var endpoint = http.GetEndpoint();
        var usesCookie = request.Cookies.ContainsKey(QmsClaims.CookieName)
            || endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
        if (!usesCookie)
        {
            return false;
        }
        if (request.Headers.TryGetValue("Sec-Fetch-Site", out var site))
        {
            return site.ToString() is not ("same-origin" or "none");
        }
        return !request.Headers.TryGetValue(HeaderNames.Origin, out var origin)
            || !string.Equals(origin.ToString(), $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private async Task<Refusal?> CheckBodyAsync(HttpContext http)
    {
        var request = http.Request;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        var endpoint = http.GetEndpoint();
        if (!hasBody || endpoint is null)
        {
            return null;
        }
        if (IsPage(http))
        {
            return await CheckFormAsync(request);
        }
        var accepted = endpoint.Metadata.GetOrderedMetadata<IAcceptsMetadata>().SelectMany(a => a.ContentTypes).ToList();
        var contentType = request.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var parsed) ? parsed : null;
        var isJson = contentType?.MediaType.Value is "application/json" || contentType?.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true;
        if (accepted.Count > 0 && !isJson)
        {
            return accepted.Any(a => contentType is not null && MediaTypeHeaderValue.Parse(a).MatchesMediaType(contentType.MediaType))
                ? null
                : new(415, "Unsupported content type", $"This endpoint takes {string.Join(" or ", accepted.Distinct())}.");
        }
        if (!isJson)
        {
            return new(415, "Unsupported content type", "Send the body as JSON with Content-Type: application/json.");
        }
        var limit = options.Value.MaxJsonBodyBytes;
        if (request.ContentLength > limit)
        {
            return new(413, "Body too large", $"A JSON body may have at most {limit} bytes.");
        }
        var body = await ReadLimitedAsync(request.Body, limit, http.RequestAborted);
        if (body is null)
        {
            return new(413, "Body too large", $"A JSON body may have at most {limit} bytes.");
        }
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        return body.Length > 0 && JsonBodyCheck.Find(body, options.Value.MaxJsonDepth) is { } problem
            ? new(400, "Invalid JSON body", problem.Error, problem.Field)
            : null;
    }

    private static async Task<Refusal?> CheckFormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType || !request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException ex)
        {
            return new(400, "Invalid form", $"The form could not be read: {ex.Message}");
        }
        foreach (var (key, values) in form)
        {
            if ((InputText.Problem(key) ?? values.Select(InputText.Problem).FirstOrDefault(p => p is not null)) is { } problem)
            {
                return new(400, "Invalid form field", $"The field '{Printable(key)}' {problem}.", Printable(key));
            }
        }
        return null;
    }

    private static async Task<byte[]?> ReadLimitedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static bool IsPage(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is not null;

    private static string Printable(string text)
    {
        var safe = new string([.. text.Take(100).Select(c => c < 0x20 || c == 0x7F || char.IsSurrogate(c) ? '?' : c)]);
        return text.Length > 100 ? safe + "…" : safe;
    }

    internal static async Task ProblemAsync(HttpContext http, int status, string title, string detail, string? field)
    {
        http.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null && status == 400)
        {
            problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] }) { Status = status, Title = title, Detail = detail };
        }
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex SafeCorrelationId();
}
