using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using QmsAgentHost.Data;

namespace QmsAgentHost.Api;

/// <summary>
/// Exceptions that are not the host's fault, answered as problem details in every environment:
/// a body or parameter that could not be read (400, naming the field and what was expected), the
/// database being unavailable, out of connections or out of time (503 with Retry-After), and a value
/// the database refuses (4xx). Anything else falls through to the 500 handler.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        Microsoft.AspNetCore.Mvc.ProblemDetails problem;
        if (exception is BadHttpRequestException badRequest)
        {
            // The handler runs with the endpoint cleared; the feature keeps the one that threw.
            var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
            problem = Describe(badRequest, endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType);
        }
        else if (exception is InvalidDataException form)
        {
            problem = new() { Status = 400, Title = "The request could not be read", Detail = $"The form could not be read: {form.Message}" };
        }
        else if (DatabaseFailures.IsUnavailable(exception))
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            problem = new() { Status = 503, Title = "Temporarily unavailable", Detail = $"The database is busy or unavailable. Try again in {RetryAfterSeconds} seconds." };
        }
        else if (DatabaseFailures.InputRejection(exception) is { } rejection)
        {
            problem = new() { Status = rejection.Status, Title = rejection.Status == 409 ? "Conflict" : "Invalid value", Detail = rejection.Detail };
        }
        else
        {
            return false;
        }
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails Describe(BadHttpRequestException badRequest, Type? bodyType)
    {
        var status = badRequest.StatusCode;
        if (badRequest.InnerException is JsonException json)
        {
            var field = json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "$";
            var leaf = bodyType is null ? null : TypeAt(bodyType, field);
            var expected = (leaf is null ? null : Expectation((Nullable.GetUnderlyingType(leaf) ?? leaf).Name))
                ?? (ConvertedTo().Match(json.Message) is { Success: true } m ? Expectation(m.Groups[1].Value) : null)
                ?? (TokenAs().Match(json.Message) is { Success: true } t ? $"a {t.Groups[1].Value}" : null);
            var message = expected is null ? $"The value is not valid here: {json.Message.Split(" Path:")[0]}" : $"Expected {expected}.";
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = status, Title = "The request could not be read", Detail = $"'{field}': {message}",
            };
        }
        if (FailedToBind().Match(badRequest.Message) is { Success: true } bind)
        {
            var (type, name) = (bind.Groups[1].Value, bind.Groups[2].Value);
            var message = $"Expected {Expectation(type) ?? type}.";
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [name] = [message] })
            {
                Status = status, Title = "The request could not be read", Detail = $"'{name}': {message}",
            };
        }
        return new() { Status = status, Title = "The request could not be read", Detail = badRequest.Message };
    }

    // The type of the property a JSON path such as "site.code" or "items[2].name" leads to in the body type.
    private static Type? TypeAt(Type type, string path)
    {
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Split('[')[0];
            var property = type.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
            if (property is null)
            {
                return null;
            }
            type = property.PropertyType;
            if (segment.Contains('[', StringComparison.Ordinal))
            {
                type = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().FirstOrDefault() ?? type;
            }
        }
        return type;
    }

    /// <summary>What a value of the named .NET type looks like, in words a client understands.</summary>
    internal static string? Expectation(string typeName) => typeName.Replace("System.", "", StringComparison.Ordinal).TrimEnd('.', '?') switch
    {
        "String" or "string" => "a string",
        "Guid" => "a UUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301",
        "Int32" or "int" or "Int64" or "long" or "Int16" or "short" => "a whole number in range",
        "Double" or "double" or "Decimal" or "decimal" or "Single" or "float" => "a number",
        "Boolean" or "bool" => "true or false",
        "DateTimeOffset" or "DateTime" => "an ISO 8601 date-time such as 2026-03-01T08:00:00Z",
        "DateOnly" => "an ISO 8601 date such as 2026-03-01",
        var other when other.StartsWith("Nullable`1[", StringComparison.Ordinal) => Expectation(other["Nullable`1[".Length..].TrimEnd(']')),
        _ => null,
    };

    [GeneratedRegex(@"could not be converted to ([\w.`\[\]]+)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"Cannot get the value of a token type '\w+' as an? (\w+)")]
    private static partial Regex TokenAs();

    [GeneratedRegex("Failed to bind parameter \"([^ \"]+) ([^\"]+)\"")]
    private static partial Regex FailedToBind();
}
