using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using QmsAgentHost.Sdk.Signatures;
using QmsAgentHost.Signatures;

namespace QmsAgentHost.Tests.Audit;

public sealed class CanonicalJsonTests
{
    [Fact]
    public void Keys_are_sorted_at_every_level_and_whitespace_is_dropped()
    {
        var json = JsonSerializer.Deserialize<JsonElement>("""
            { "b": 1,
              "a": { "d": [ { "z": true, "y": false } ], "c": null } }
            """);

        Assert.Equal("""{"a":{"c":null,"d":[{"y":false,"z":true}]},"b":1}""", CanonicalJson.Serialize(json));
    }

    [Fact]
    public void Keys_sort_ordinally_by_code_unit_not_by_culture()
    {
        var json = JsonSerializer.Deserialize<JsonElement>("""{"é":1,"a":2,"_":3,"B":4,"aa":5,"A":6}""");

        Assert.Equal("""{"A":6,"B":4,"_":3,"a":2,"aa":5,"é":1}""", CanonicalJson.Serialize(json));
    }

    [Fact]
    public void Array_order_and_number_text_are_kept()
    {
        var json = JsonSerializer.Deserialize<JsonElement>("""{"list":[3,1,2],"price":1.50,"big":12345678901234567890}""");

        Assert.Equal("""{"big":12345678901234567890,"list":[3,1,2],"price":1.50}""", CanonicalJson.Serialize(json));
    }

    [Fact]
    public void Strings_are_escaped_minimally()
    {
        var json = JsonSerializer.Deserialize<JsonElement>("""{"text":"Gr\u00fc\u00dfe <b>\"ok\"</b> & 1+1\n"}""");

        Assert.Equal("{\"text\":\"Grüße <b>\\\"ok\\\"</b> & 1+1\\n\"}", CanonicalJson.Serialize(json));
    }

    [Fact]
    public void Objects_serialize_as_the_api_shows_them_camel_case_with_enum_names()
    {
        var record = new { Name = "Pump", Meaning = SignatureMeaning.Reviewed, Count = 2, Missing = (string?)null };

        Assert.Equal("""{"count":2,"meaning":"Reviewed","missing":null,"name":"Pump"}""", CanonicalJson.Serialize(record));
    }

    [Fact]
    public void Hash_is_sha256_of_the_canonical_utf8_and_ignores_key_order()
    {
        var first = CanonicalJson.Sha256Hex(JsonSerializer.Deserialize<JsonElement>("""{"a":1,"b":"ü"}"""));
        var second = CanonicalJson.Sha256Hex(JsonSerializer.Deserialize<JsonElement>("""{ "b" : "ü", "a" : 1 }"""));

        Assert.Equal(first, second);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("""{"a":1,"b":"ü"}"""))), first);
    }

    [Fact]
    public void Duplicate_keys_have_no_canonical_form()
    {
        var json = JsonSerializer.Deserialize<JsonElement>("""{"a":1,"a":2}""");

        Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize(json));
    }

    [Fact]
    public void Null_is_null()
    {
        Assert.Equal("null", CanonicalJson.Serialize(null));
    }
}
