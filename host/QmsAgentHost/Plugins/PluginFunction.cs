using System.ComponentModel;
using System.Reflection;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;

namespace QmsAgentHost.Plugins;

/// <summary>A function a plugin contributes, with the metadata the host enforces and shows.</summary>
public sealed class PluginFunction
{
    private PluginFunction(string pluginId, MethodInfo method, KernelFunctionAttribute kernelFunction)
    {
        PluginId = pluginId;
        Method = method;
        Name = string.IsNullOrWhiteSpace(kernelFunction.Name) ? TrimAsyncSuffix(method.Name) : kernelFunction.Name!;
        Description = method.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "";
        Permission = method.GetCustomAttribute<PermissionAttribute>()?.Permission ?? "";
        ChangesData = method.IsDefined(typeof(ChangesDataAttribute), inherit: false);
        Examples = [.. method.GetCustomAttributes<ExampleAttribute>().Select(e => e.Request)];
        Parameters = [.. method.GetParameters().Where(IsArgument).Select(FunctionParameter.From)];
        ReturnType = FunctionParameter.JsonTypeOf(UnwrapTask(method.ReturnType));
    }

    public string PluginId { get; }
    public string Name { get; }
    public string QualifiedName => $"{PluginId}.{Name}";
    public string Description { get; }
    public string Permission { get; }
    public bool ChangesData { get; }
    public IReadOnlyList<string> Examples { get; }
    public IReadOnlyList<FunctionParameter> Parameters { get; }
    public string ReturnType { get; }
    internal MethodInfo Method { get; }

    /// <summary>Reads the <c>[KernelFunction]</c> methods of <paramref name="type"/>.</summary>
    public static IEnumerable<PluginFunction> FromType(string pluginId, Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<KernelFunctionAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => new PluginFunction(pluginId, x.Method, x.Attribute!));

    internal static bool IsArgument(ParameterInfo parameter) =>
        parameter.ParameterType != typeof(CancellationToken) && parameter.ParameterType != typeof(Kernel);

    internal static Type UnwrapTask(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask) || type == typeof(void) ? typeof(void)
        : type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
            : type;

    private static string TrimAsyncSuffix(string name) =>
        name.EndsWith("Async", StringComparison.Ordinal) && name.Length > 5 ? name[..^5] : name;
}

/// <summary>A function argument as shown to callers and planners.</summary>
public sealed record FunctionParameter(string Name, string Type, string Description, bool Required, IReadOnlyList<string>? AllowedValues)
{
    internal static FunctionParameter From(ParameterInfo parameter)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var required = !parameter.HasDefaultValue && !parameter.IsOptional
            && Nullable.GetUnderlyingType(parameter.ParameterType) is null
            && new NullabilityInfoContext().Create(parameter).WriteState != NullabilityState.Nullable;
        return new FunctionParameter(
            parameter.Name!,
            JsonTypeOf(type),
            parameter.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "",
            required,
            type.IsEnum ? Enum.GetNames(type) : null);
    }

    /// <summary>What a JSON value for <paramref name="type"/> looks like, for error messages.</summary>
    internal static string Expectation(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(Guid) => "a UUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301",
            _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ when type == typeof(DateOnly) => "an ISO 8601 date such as 2026-03-01",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "an ISO 8601 date-time such as 2026-03-01T08:00:00Z",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number in range",
            _ => $"of type {JsonTypeOf(type)}",
        };
    }

    internal static string JsonTypeOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(void) => "void",
            _ when type == typeof(string) || type == typeof(Guid) || type.IsEnum => "string",
            _ when type == typeof(bool) => "boolean",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "integer",
            _ when type == typeof(double) || type == typeof(decimal) || type == typeof(float) => "number",
            _ when type == typeof(DateOnly) => "date",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "date-time",
            _ when type.IsArray || (type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)) => "array",
            _ => "object",
        };
    }
}
