using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace QmsAgentHost.Api;

/// <summary>Data-annotation validation for minimal-API request bodies, answered as RFC 7807 validation problems.</summary>
public static class Validation
{
    /// <summary>
    /// Checks the data annotations of <paramref name="request"/> plus <paramref name="checks"/> (a field
    /// and an error message, or null when the field is fine); all errors come back in one problem, keyed
    /// by the field's JSON name (camelCase), as the client wrote it.
    /// </summary>
    public static ValidationProblem? Validate(object request, params (string Field, string? Error)[] checks)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(request, new ValidationContext(request), results, validateAllProperties: true);
        var errors = results
            .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Member: m, Error: r.ErrorMessage ?? "invalid")))
            .Concat(checks.Where(c => c.Error is not null).Select(c => (Member: c.Field, Error: c.Error!)))
            .GroupBy(x => JsonNamingPolicy.CamelCase.ConvertName(x.Member))
            .ToDictionary(g => g.Key, g => g.Select(x => x.Error).Distinct().ToArray());
        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors);
    }
}
