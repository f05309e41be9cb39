using System.ComponentModel;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Tenancy;

namespace HelloPlugin;

public sealed record Greeting(string Text, string Organization);

/// <summary>Greets people; touches no data.</summary>
public sealed class GreetingFunctions(IOptions<HelloSettings> settings, ITenantContext tenant)
{
    [KernelFunction("greet"), Description("Greets a person by name.")]
    [Permission("hello:greet")]
    [Example("say hello to Maria")]
    [Example("greet the new inspector Tom")]
    public Greeting Greet([Description("The name of the person to greet")] string name)
    {
        name = Arguments.RequireText(name, nameof(name), 100);
        return new Greeting($"{settings.Value.Greeting}, {name}!", tenant.OrgId.ToString());
    }
}
