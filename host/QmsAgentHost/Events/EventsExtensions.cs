using QmsAgentHost.Sdk.Events;
using QmsAgentHost.Sdk.Tenancy;

namespace QmsAgentHost.Events;

public static class EventsExtensions
{
    /// <summary>Domain events written to the outbox (<c>core.events</c>) by the host and plugins.</summary>
    public static IHostApplicationBuilder AddEvents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<IEventPublisher>(sp => new EventPublisher(sp.GetRequiredService<ITenantContext>(), "host"));
        return builder;
    }
}
