namespace QmsAgentHost.Tenancy;

public static class TenancyExtensions
{
    /// <summary>The caller of each request or job: tenant context, permissions, the caller cache and its listener.</summary>
    public static IHostApplicationBuilder AddTenancy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TenancyOptions>().BindConfiguration(TenancyOptions.SectionName);
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddScoped<Sdk.Tenancy.ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        builder.Services.AddSingleton<PermissionResolver>();
        builder.Services.AddSingleton<CallerCache>();
        builder.Services.AddSingleton<CallerResolver>();
        builder.Services.AddHostedService<CallerChangeListener>();
        return builder;
    }

    /// <summary>Requires the caller to hold <paramref name="permission"/> in their tenant; answers 403 problem details otherwise.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var tenant = context.HttpContext.RequestServices.GetRequiredService<TenantContext>();
            if (!tenant.IsAuthenticated)
            {
                return TypedResults.Problem(statusCode: 401, title: "Sign-in required", detail: "Sign in, or send an API key as Authorization: Bearer qms_….");
            }
            return tenant.HasPermission(permission)
                ? await next(context)
                : TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: $"This needs permission '{permission}'.");
        });

    /// <summary>Drops this node's cached callers of <paramref name="orgId"/> after a change it committed (others learn by NOTIFY).</summary>
    internal static void CallerChanged(this IServiceProvider services, Guid orgId) =>
        services.GetRequiredService<CallerCache>().Evict(orgId);
}
