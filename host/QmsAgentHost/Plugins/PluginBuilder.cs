using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QmsAgentHost.Data.Migrations;
using QmsAgentHost.Events;
using QmsAgentHost.Sdk.Ai;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Events;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Jobs;
using QmsAgentHost.Sdk.Knowledge;
using QmsAgentHost.Sdk.Plugins;
using QmsAgentHost.Sdk.Seeding;
using QmsAgentHost.Sdk.Signatures;
using QmsAgentHost.Sdk.Tenancy;
using QmsAgentHost.Sdk.Workflows;

namespace QmsAgentHost.Plugins;

/// <summary>Records a plugin's contributions during <see cref="IQmsPlugin.Configure"/>.</summary>
internal sealed class PluginBuilder : IPluginBuilder
{
    private readonly List<Type> _functionTypes = [];
    private readonly List<PluginJobDefinition> _jobs = [];
    private readonly List<WorkflowDefinition> _workflows = [];
    private readonly List<Type> _settingsTypes = [];
    private readonly List<EventDefinition> _events = [];
    private readonly List<PluginSeedDefinition> _seeds = [];

    public PluginBuilder(PluginManifest manifest, IServiceProvider hostServices)
    {
        Manifest = manifest;
        Services = new ServiceCollection();
        AddHostServices(Services, hostServices, manifest.Id);
    }

    public PluginManifest Manifest { get; }
    public IServiceCollection Services { get; }
    public MigrationBatch? Migrations { get; private set; }
    public IReadOnlyList<Type> FunctionTypes => _functionTypes;
    public IReadOnlyList<PluginJobDefinition> Jobs => _jobs;
    public IReadOnlyList<WorkflowDefinition> Workflows => _workflows;
    public IReadOnlyList<Type> SettingsTypes => _settingsTypes;
    public IReadOnlyList<EventDefinition> Events => _events;
    public IReadOnlyList<PluginSeedDefinition> Seeds => _seeds;

    public IPluginBuilder AddFunctions<TFunctions>() where TFunctions : class
    {
        if (!_functionTypes.Contains(typeof(TFunctions)))
        {
            _functionTypes.Add(typeof(TFunctions));
            Services.TryAddScoped<TFunctions>();
        }
        return this;
    }

    public IPluginBuilder AddMigrations(string schema, Assembly assembly)
    {
        if (!MigrationRunner.IsValidPluginSchema(schema))
        {
            throw new ArgumentException($"'{schema}' cannot be a plugin schema: use lower case letters, digits and underscores, and not core, public, quartz or pg_*.", nameof(schema));
        }
        if (Migrations is not null)
        {
            throw new InvalidOperationException("A plugin owns one schema; AddMigrations was called twice.");
        }
        Migrations = new MigrationBatch(schema, MigrationScript.FromAssembly(assembly, schema));
        return this;
    }

    public IPluginBuilder AddJob<TJob>(string name, string defaultCron, string description) where TJob : class, IPluginJob
    {
        try
        {
            _ = new Quartz.CronExpression(defaultCron);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"'{defaultCron}' is not a valid Quartz cron expression (job '{name}'): {ex.Message}", nameof(defaultCron), ex);
        }
        if (_jobs.Any(j => j.Name == name))
        {
            throw new ArgumentException($"Job '{name}' is declared twice.", nameof(name));
        }
        _jobs.Add(new PluginJobDefinition(name, typeof(TJob), defaultCron, description));
        Services.TryAddScoped<TJob>();
        return this;
    }

    public IPluginBuilder AddWorkflow(WorkflowDefinition workflow)
    {
        if (workflow.Steps.Count == 0)
        {
            throw new ArgumentException($"Workflow '{workflow.Name}' has no steps.", nameof(workflow));
        }
        _workflows.Add(workflow);
        return this;
    }

    public IPluginBuilder AddSettings<TSettings>() where TSettings : class, new()
    {
        _settingsTypes.Add(typeof(TSettings));
        return this;
    }

    public IPluginBuilder AddEvent(string type, string description)
    {
        var prefix = Manifest.Id + ".";
        if (string.IsNullOrEmpty(type) || !type.StartsWith(prefix, StringComparison.Ordinal) || !EventType.IsValid(type))
        {
            throw new ArgumentException($"Event type '{type}' must be dotted lower-case words starting with '{prefix}'.", nameof(type));
        }
        if (_events.Any(e => e.Type == type))
        {
            throw new ArgumentException($"Event '{type}' is declared twice.", nameof(type));
        }
        _events.Add(new EventDefinition(type, description));
        return this;
    }

    public IPluginBuilder AddSeed<TSeed>(string name, int version, string description, bool demoOnly = true) where TSeed : class, IPluginSeed
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || _seeds.Any(s => s.Name == name))
        {
            throw new ArgumentException($"Seed name '{name}' must be 1 to 64 characters and unique within the plugin.", nameof(name));
        }
        if (version < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "A seed's version starts at 1.");
        }
        _seeds.Add(new PluginSeedDefinition(name, typeof(TSeed), version, description, demoOnly));
        Services.TryAddScoped<TSeed>();
        return this;
    }

    // The SDK services a plugin may resolve. Scoped ones are forwarded from the host's scope of the
    // current request (or job run), set on HostScope when a call begins.
    private static void AddHostServices(IServiceCollection services, IServiceProvider hostServices, string pluginId)
    {
        services.AddScoped<HostScope>();
        services.AddScoped(sp => sp.GetRequiredService<HostScope>().Get<ITenantContext>());
        services.AddScoped(sp => sp.GetRequiredService<HostScope>().Get<ITenantDatabase>());
        services.AddScoped(sp => sp.GetRequiredService<HostScope>().Get<IAuditTrail>());
        services.AddScoped(sp => sp.GetRequiredService<HostScope>().Get<ISignatureService>());
        services.AddScoped(sp => sp.GetRequiredService<HostScope>().Get<IAiAssistant>());
        services.AddScoped(sp => sp.GetRequiredService<HostScope>().Get<IKnowledgeStore>());
        services.AddScoped<IPluginFunctions>(sp => new PluginFunctions(
            hostServices.GetRequiredService<PluginCatalog>(), hostServices.GetRequiredService<PluginFunctionInvoker>(),
            sp.GetRequiredService<HostScope>().Services ?? throw new InvalidOperationException("No host scope: plugin services are only available during a call.")));
        services.AddScoped<IEventPublisher>(sp => new EventPublisher(sp.GetRequiredService<ITenantContext>(), pluginId));
        // An instance registration: the plugin's container must not dispose the host's shared embedder.
        if (hostServices.GetService<IEmbeddingGenerator<string, Embedding<float>>>() is { } embedder)
        {
            services.AddSingleton(embedder);
        }
        services.AddSingleton(hostServices.GetRequiredService<TimeProvider>());
        services.AddSingleton(hostServices.GetRequiredService<ILoggerFactory>());
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
    }
}

/// <summary>Carries the host's request scope into a plugin's scope for one call.</summary>
internal sealed class HostScope
{
    public IServiceProvider? Services { get; set; }

    public T Get<T>() where T : notnull =>
        (Services ?? throw new InvalidOperationException("No host scope: plugin services are only available during a call."))
        .GetRequiredService<T>();
}
