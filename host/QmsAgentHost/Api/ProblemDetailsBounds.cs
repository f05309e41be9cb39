
namespace QmsAgentHost.Api;

/// <summary>
/// Every problem the host answers gets a correlation id and a <c>detail</c> (a bare status code
/// gets one too), and none grows without bound: the detail, each message and the number of fields
/// are capped, however much input the client sent.
/// </summary>
internal static class ProblemDetailsBounds
{
    public const int MaxDetail = 1000;
    public const int MaxFields = 20;

    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (context.HttpContext.Response.Headers.TryGetValue(RequestGuard.CorrelationHeader, out var id))
        {
            problem.Extensions["correlationId"] = id.ToString();
        }
        problem.Detail = Cap(problem.Detail ?? DefaultDetail(problem.Status ?? context.HttpContext.Response.StatusCode));
        if (problem is HttpValidationProblemDetails validation && validation.Errors.Count > 0)
        {
            var kept = validation.Errors.Take(MaxFields).ToDictionary(e => Cap(e.Key, 100), e => e.Value.Take(5).Select(m => Cap(m)).ToArray());
            if (validation.Errors.Count > MaxFields)
            {
                kept["…"] = [$"and {validation.Errors.Count - MaxFields} more field(s)."];
            }
            validation.Errors.Clear();
            foreach (var (field, messages) in kept)
            {
                validation.Errors[field] = messages;
            }
        }
    }

    private static string Cap(string text, int max = MaxDetail) => text.Length <= max ? text : text[..max] + "…";

    private static string DefaultDetail(int status) => status switch
    {
        400 => "The request is not valid.",
        401 => "Sign in, or send an API key as Authorization: Bearer qms_….",
        403 => "You are signed in but may not do this.",
        404 => "There is nothing at this address, or nothing you may see.",
        405 => "This address does not take this method.",
        406 => "This address cannot answer in a format the request accepts.",
        409 => "This conflicts with the current state of the record.",
        413 => "The request body is too large.",
        415 => "The request body's content type is not accepted here.",
        429 => "Too many requests. Wait a little and try again.",
        503 => "The service is temporarily unavailable. Try again shortly.",
        >= 500 => "The host failed to answer. The error was logged with the correlation id.",
        _ => "The request could not be served.",
    };
}
