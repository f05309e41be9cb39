using Microsoft.AspNetCore.Diagnostics;

namespace QmsAgentHost.Api;

/// <summary>
/// A body that is not valid JSON, or of the wrong shape, is the caller's mistake: answer 400 with
/// problem details in every environment (Development would otherwise surface it as a 500).
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }
        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = badRequest.StatusCode,
                Title = "The request could not be read",
                Detail = badRequest.InnerException is System.Text.Json.JsonException json
                    ? $"The body is not valid JSON for this request: {json.Message}"
                    : badRequest.Message,
            },
        });
    }
}
