namespace QmsAgentHost.Cli;

public static class CliExtensions
{
    /// <summary>The verbs of the executable besides <c>serve</c> and <c>migrate</c>: audit, tenant, site, eval.</summary>
    public static IHostApplicationBuilder AddCliVerbs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ICliVerb, AuditCliVerb>();
        builder.Services.AddSingleton<ICliVerb, TenantCliVerb>();
        builder.Services.AddSingleton<ICliVerb, SiteCliVerb>();
        builder.Services.AddSingleton<ICliVerb, EvalCliVerb>();
        return builder;
    }
}
