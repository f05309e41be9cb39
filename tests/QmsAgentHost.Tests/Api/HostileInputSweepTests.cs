using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Plugins;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Api;

/// <summary>
/// Every endpoint the host maps (found in the EndpointDataSource, so one added later is swept
/// without touching this test) and every plugin function gets hostile input: NUL and half surrogate
/// pairs in strings, control and non-ASCII characters in headers, repeated JSON keys, wrong content
/// types, huge numbers, deep nesting, empty and oversized bodies, malformed route values. No answer
/// may be a 5xx, and the host must stay healthy.
/// </summary>
public sealed class HostileInputSweepTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly string[] HostileStrings = ["\u0000", "a\u0000b", "\ud800", "x\udfffy"];

    private static IEnumerable<(string Name, Func<HttpContent?> Body)> HostileBodies()
    {
        static HttpContent Json(string text) => new StringContent(text, Encoding.UTF8, "application/json");
        foreach (var text in HostileStrings)
        {
            var escaped = string.Concat(text.Select(c => c < 0x20 || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
            yield return ($"string {escaped}", () => Json($$"""{"name":"{{escaped}}","login":"{{escaped}}","organization":"{{escaped}}","password":"{{escaped}}","message":"{{escaped}}"}"""));
            yield return ($"key {escaped}", () => Json($$"""{"{{escaped}}":1}"""));
        }
        yield return ("duplicate keys", () => Json("""{"name":"a","NAME":"b","name":"c"}"""));
        yield return ("huge numbers", () => Json("""{"limit":1e400,"name":123456789012345678901234567890123456789012345678901234567890123456789,"enabled":-1e999}"""));
        yield return ("deep nesting", () => Json(new string('[', 200) + new string(']', 200)));
        yield return ("deep objects", () => Json(string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100)));
        yield return ("empty body", () => Json(""));
        yield return ("not JSON", () => Json("{name: 'x',"));
        yield return ("invalid UTF-8", () => new ByteArrayContent([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D]) { Headers = { ContentType = new("application/json") } });
        yield return ("array root", () => Json("[1,2,3]"));
        yield return ("null root", () => Json("null"));
        yield return ("wrong types", () => Json("""{"name":{"a":[]},"enabled":"yes","limit":"ten","entryId":"not-a-uuid","role":7,"expiresAt":"tomorrow","granted":"maybe"}"""));
        yield return ("text/plain", () => new StringContent("""{"name":"x"}""", Encoding.UTF8, "text/plain"));
        yield return ("form", () => new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "x\u0000" }));
        yield return ("multipart", () => new MultipartFormDataContent { { new StringContent("x"), "name" } });
        yield return ("no content type", () => new ByteArrayContent("""{"name":"x"}"""u8.ToArray()));
        yield return ("oversized", () => Json("{\"name\":\"" + new string('a', 2 * 1024 * 1024) + "\"}"));
        yield return ("many keys", () => Json("{" + string.Join(',', Enumerable.Range(0, 50_000).Select(i => $"\"k{i}\":0")) + "}"));
    }

    private static readonly (string Name, string Value)[] HostileHeaders =
    [
        ("X-Correlation-Id", "é-ünïcode"), ("X-Correlation-Id", "a\u0001b"), ("X-Correlation-Id", new string('x', 5000)),
        ("User-Agent", "Mözilla\u0007"), ("Accept-Language", "\u0000"), ("Authorization", "Bearer qms_é"), ("Cookie", "qms.auth=\u0001garbage"),
    ];

    private static readonly string[] HostileQueries = ["?q=%00", "?name=%ED%A0%80", "?page=99999999999999999999&pageSize=-1", "?%00=1", "?action=a%00b&entityId=%C0%AF"];

    // A NUL in the path never reaches the host: Kestrel (and the test server's client) refuse it first.
    private static readonly string[] HostileRouteValues = ["%01", "%ED%A0%80", "..%2F..%2Fetc", new string('z', 3000), "' OR 1=1 --", "%C0%AF"];

    [Fact]
    public async Task No_endpoint_answers_5xx_to_hostile_input_and_the_host_stays_healthy()
    {
        var tenant = await fixture.Factory.CreateTenantAsync("sweep-" + Guid.NewGuid().ToString("N")[..6]);
        var failures = new List<string>();
        var requests = 0;
        foreach (var (method, template) in Endpoints())
        {
            foreach (var path in Paths(template))
            {
                foreach (var client in new[] { tenant.ClientFor(Roles.Owner), fixture.Factory.CreateClient() })
                {
                    var sends = new List<(string What, Func<HttpRequestMessage> Request)>();
                    sends.AddRange(HostileQueries.Select(q => ($"query {q}", (Func<HttpRequestMessage>)(() => new HttpRequestMessage(method, path + q)))));
                    sends.AddRange(HostileHeaders.Select(h => ($"header {h.Name}", (Func<HttpRequestMessage>)(() => WithHeader(new HttpRequestMessage(method, path), h.Name, h.Value)))));
                    if (method != HttpMethod.Get && method != HttpMethod.Head)
                    {
                        sends.AddRange(HostileBodies().Select(b => ($"body {b.Name}", (Func<HttpRequestMessage>)(() => new HttpRequestMessage(method, path) { Content = b.Body() }))));
                    }
                    foreach (var (what, make) in sends)
                    {
                        using var request = make();
                        using var response = await client.SendAsync(request);
                        requests++;
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"{method} {path} with {what}: {(int)response.StatusCode} {Truncate(await response.Content.ReadAsStringAsync())}");
                        }
                    }
                }
            }
        }
        var ready = await fixture.Factory.CreateClient().GetAsync("/health/ready");

        Assert.True(requests > 1000, $"only {requests} requests were sent");
        Assert.Empty(failures);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private IEnumerable<(HttpMethod Method, string Template)> Endpoints() =>
        fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.Contains("/_framework", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"])
                .Select(m => (new HttpMethod(m), "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct();

    // The template with well-formed values (each plugin function for {function}), then with each malformed one.
    private IEnumerable<string> Paths(string template)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            yield return template;
            yield break;
        }
        var functions = fixture.Factory.Services.GetRequiredService<PluginCatalog>().All.SelectMany(p => p.Functions).Select(f => f.Name).ToList();
        foreach (var function in template.Contains("{function}", StringComparison.Ordinal) ? functions : ["-"])
        {
            yield return Fill(template, name => name switch
            {
                "function" => function,
                "id" when template.StartsWith("/api/plugins", StringComparison.Ordinal) => "hello",
                "role" => Roles.Viewer,
                "permission" => "hello:read",
                _ => Guid.NewGuid().ToString(),
            });
        }
        foreach (var value in HostileRouteValues)
        {
            yield return Fill(template, _ => value);
        }
    }

    private static string Fill(string template, Func<string, string> value) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{([^}:?]+)[^}]*\}", m => value(m.Groups[1].Value));

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] : text;
}
