using System.Reflection;
using QmsAgentHost.Sdk.Functions;

namespace QmsAgentHost.Sdk.Tests.Functions;

public sealed class PermissionAttributeTests
{
    [Theory]
    [InlineData("ncm:create")]
    [InlineData("ncm:read")]
    [InlineData("audit-trail:view")]
    [InlineData("erp-copilot:ask-2")]
    [InlineData("a:b")]
    public void Accepts_area_colon_action_in_lower_case(string permission)
    {
        Assert.True(PermissionAttribute.IsValidPermission(permission));
        Assert.Equal(permission, new PermissionAttribute(permission).Permission);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ncm")]
    [InlineData("ncm:")]
    [InlineData(":create")]
    [InlineData("NCM:create")]
    [InlineData("ncm:Create")]
    [InlineData("ncm:create:all")]
    [InlineData("1ncm:create")]
    [InlineData("ncm:-create")]
    [InlineData("ncm_records:create")]
    [InlineData(" ncm:create")]
    [InlineData("ncm:create ")]
    [InlineData("ncm : create")]
    public void Refuses_anything_else(string? permission)
    {
        Assert.False(PermissionAttribute.IsValidPermission(permission));
        var ex = Assert.Throws<ArgumentException>(() => new PermissionAttribute(permission!));
        Assert.Equal("permission", ex.ParamName);
        Assert.Contains("'<area>:<action>'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_carries_one_permission_and_any_number_of_examples()
    {
        var permission = typeof(PermissionAttribute).GetCustomAttribute<AttributeUsageAttribute>()!;
        var example = typeof(ExampleAttribute).GetCustomAttribute<AttributeUsageAttribute>()!;
        var changesData = typeof(ChangesDataAttribute).GetCustomAttribute<AttributeUsageAttribute>()!;

        Assert.Equal(AttributeTargets.Method, permission.ValidOn);
        Assert.False(permission.AllowMultiple);
        Assert.True(example.AllowMultiple);
        Assert.False(changesData.AllowMultiple);
    }

    [Fact]
    public void Attributes_are_read_back_from_a_function()
    {
        var method = typeof(SampleFunctions).GetMethod(nameof(SampleFunctions.CreateAsync))!;

        Assert.Equal("ncm:create", method.GetCustomAttribute<PermissionAttribute>()!.Permission);
        Assert.True(method.IsDefined(typeof(ChangesDataAttribute)));
        Assert.Equal(["log an NCM for part 4711", "part 4711 is scratched"], method.GetCustomAttributes<ExampleAttribute>().Select(e => e.Request));
    }

    private static class SampleFunctions
    {
        [Permission("ncm:create"), ChangesData]
        [Example("log an NCM for part 4711")]
        [Example("part 4711 is scratched")]
        public static Task CreateAsync() => Task.CompletedTask;
    }
}
