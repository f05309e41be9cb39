using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Sdk.Plugins;

namespace HelloPlugin;

/// <summary>Declares what the Hello plugin contributes: its functions, its schema and its settings.</summary>
public sealed class HelloPluginEntry : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin)
    {
        plugin.AddSettings<HelloSettings>();
        plugin.AddMigrations("hello", typeof(HelloPluginEntry).Assembly);
        plugin.AddFunctions<GreetingFunctions>();
        plugin.AddFunctions<GuestBookFunctions>();
        plugin.AddJob<GuestBookDigestJob>("guest-book-digest", "0 0 6 * * ?", "Records how many guests signed yesterday.");
        plugin.Services.AddScoped<GuestBookRepository>();
    }
}
