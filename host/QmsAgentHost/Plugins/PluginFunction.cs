using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;

namespace QmsAgentHost.Plugins;

/// <summary>
/// A function a plugin contributes: the metadata the host enforces and shows, and the one Semantic
/// Kernel <see cref="KernelFunction"/> (an M.E.AI <see cref="AIFunction"/> underneath) that every path
/// calls: the invoke endpoint, workflows, the planner and automatic function calling.
/// </summary>
public sealed class PluginFunction
{
    private PluginFunction(string pluginId, MethodInfo method, KernelFunctionAttribute kernelFunction, JsonSerializerOptions json)
    {
        PluginId = pluginId;
        Method = method;
        Name = string.IsNullOrWhiteSpace(kernelFunction.Name) ? TrimAsyncSuffix(method.Name) : kernelFunction.Name!;
        Description = method.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description ?? "";
        Permission = method.GetCustomAttribute<PermissionAttribute>()?.Permission ?? "";
        ChangesData = method.IsDefined(typeof(ChangesDataAttribute), inherit: false);
        Examples = [.. method.GetCustomAttributes<ExampleAttribute>().Select(e => e.Request)];
        Parameters = [.. method.GetParameters().Where(IsArgument).Select(FunctionParameter.From)];
        ReturnType = FunctionParameter.JsonTypeOf(UnwrapTask(method.ReturnType));

        // The library binds arguments, unwraps tasks and marshals the result with the plugin's own
        // serializer options; the target is created per call, in the plugin's scope for that call
        // (PluginCallScope), which the host's invocation filters open around every call.
        var options = new AIFunctionFactoryOptions { Name = Name, Description = Description, SerializerOptions = json };
        AIFunction = method.IsStatic
            ? AIFunctionFactory.Create(method, target: null, options)
            : AIFunctionFactory.Create(method, PluginCallScope.TargetFactory(method.DeclaringType!), options);
        Function = AIFunction.AsKernelFunction().Clone(PluginRecord.ToKernelName(pluginId));
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

    /// <summary>The function as Microsoft.Extensions.AI sees it.</summary>
    internal AIFunction AIFunction { get; }

    /// <summary>The function as Semantic Kernel sees it; its invocation filters enforce the host's rules.</summary>
    internal KernelFunction Function { get; }

    /// <summary>Reads the <c>[KernelFunction]</c> methods of <paramref name="type"/>.</summary>
    internal static IEnumerable<PluginFunction> FromType(string pluginId, Type type, JsonSerializerOptions json) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<KernelFunctionAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => new PluginFunction(pluginId, x.Method, x.Attribute!, json));

    internal static bool IsArgument(ParameterInfo parameter) =>
        parameter.ParameterType != typeof(CancellationToken) && parameter.ParameterType != typeof(Kernel)
        && parameter.ParameterType != typeof(IServiceProvider) && parameter.ParameterType != typeof(AIFunctionArguments);

    internal static Type UnwrapTask(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask) || type == typeof(void) ? typeof(void)
        : type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
            : type;

    private static string TrimAsyncSuffix(string name) =>
        name.EndsWith("Async", StringComparison.Ordinal) && name.Length > 5 ? name[..^5] : name;
}

/// <summary>
/// A function argument as shown to callers and planners. <c>AllowedValues</c> are an enum's names, or
/// the values of <c>[AllowedValues]</c> on a string parameter.
/// </summary>
public sealed record FunctionParameter(string Name, string Type, string Description, bool Required, IReadOnlyList<string>? AllowedValues)
{
    internal static FunctionParameter From(ParameterInfo parameter)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var required = !parameter.HasDefaultValue && !parameter.IsOptional
            && Nullable.GetUnderlyingType(parameter.ParameterType) is null
            && new NullabilityInfoContext().Create(parameter).WriteState != NullabilityState.Nullable;
        var allowed = type.IsEnum
            ? Enum.GetNames(type)
            : parameter.GetCustomAttribute<AllowedValuesAttribute>()?.Values.OfType<string>().ToArray();
        return new FunctionParameter(
            parameter.Name!,
            JsonTypeOf(type),
            parameter.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description ?? "",
            required,
            allowed is { Length: > 0 } ? allowed : null);
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
