using System.Net.Http.Json;
using System.Text.Json;

namespace QmsAgentHost.Tests.Audit;

/// <summary>Calls of the Hello plugin's functions through the public API, as a client would make them.</summary>
internal static class HelloCalls
{
    public static async Task<JsonElement> SignGuestBookAsync(HttpClient client, string name, string message, string? correlationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/plugins/hello/functions/sign_guest_book")
        {
            Content = JsonContent.Create(new { name, message }),
        };
        if (correlationId is not null)
        {
            request.Headers.Add("X-Correlation-Id", correlationId);
        }
        var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"sign_guest_book answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result");
    }

    public static Task<HttpResponseMessage> ApproveAsync(
        HttpClient client, string entryId, string meaning, string? password = null, string? signingToken = null, string? comment = null) =>
        client.PostAsJsonAsync("/api/plugins/hello/functions/approve_guest_book_entry", new { entryId, meaning, password, signingToken, comment });

    public static async Task<JsonElement> ListEntryAsync(HttpClient client, string entryId)
    {
        var response = await client.PostAsJsonAsync("/api/plugins/hello/functions/list_guest_book", new { limit = 100 });
        response.EnsureSuccessStatusCode();
        var entries = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result");
        return entries.EnumerateArray().Single(e => e.GetProperty("id").GetString() == entryId);
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
