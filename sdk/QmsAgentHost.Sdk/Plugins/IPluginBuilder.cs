using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace QmsAgentHost.Sdk.Plugins;

/// <summary>Records what a plugin contributes. Passed to <see cref="IQmsPlugin.Configure"/>.</summary>
public interface IPluginBuilder
{
    /// <summary>The plugin's manifest, as read from its <c>plugin.json</c>.</summary>
    PluginManifest Manifest { get; }

    /// <summary>
    /// The plugin's private service collection. The host pre-registers the SDK services
    /// (<see cref="Tenancy.ITenantContext"/>, <see cref="Data.ITenantDatabase"/>,
    /// <see cref="Audit.IAuditTrail"/>, <see cref="Signatures.ISignatureService"/>,
    /// <see cref="Events.IEventPublisher"/>, <see cref="Knowledge.IKnowledgeStore"/>,
    /// <see cref="Ai.IAiAssistant"/>, the embedder
    /// <c>Microsoft.Extensions.AI.IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>,
    /// <see cref="TimeProvider"/>, logging); register the plugin's own services here.
    /// Scoped services live for one function call, job run or request.
    /// </summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// Adds a Semantic Kernel function class: its public methods marked <c>[KernelFunction]</c>
    /// become callable functions. Each function must carry a <see cref="Functions.PermissionAttribute"/>.
    /// The class is created per call from <see cref="Services"/>.
    /// </summary>
    /// <typeparam name="TFunctions">A class with <c>[KernelFunction]</c> methods.</typeparam>
    IPluginBuilder AddFunctions<TFunctions>() where TFunctions : class;

    /// <summary>
    /// Adds the SQL migrations embedded in <paramref name="assembly"/> for the plugin's own
    /// <paramref name="schema"/>. Every embedded resource whose name contains
    /// <c>.Migrations.</c> and ends in <c>.sql</c> is a migration; they are applied in ordinal
    /// order of their file names (use a numeric prefix such as <c>0001_create_greetings.sql</c>),
    /// each once, recorded with a checksum. Tenant-owned tables must be protected with
    /// <c>SELECT core.enable_tenant_rls('schema.table');</c> or the plugin is refused.
    /// </summary>
    IPluginBuilder AddMigrations(string schema, Assembly assembly);

    /// <summary>Adds a scheduled job with its default schedule (a Quartz cron expression).</summary>
    IPluginBuilder AddJob<TJob>(string name, string defaultCron, string description) where TJob : class, Jobs.IPluginJob;

    /// <summary>Adds a workflow: a named sequence of function calls with input mapping.</summary>
    IPluginBuilder AddWorkflow(Workflows.WorkflowDefinition workflow);

    /// <summary>
    /// Declares an event type the plugin publishes through <see cref="Events.IEventPublisher"/>, so
    /// tenants can subscribe webhooks to it. The type is dotted lower-case words starting with the
    /// plugin id: <c>ncm.created</c>.
    /// </summary>
    IPluginBuilder AddEvent(string type, string description);

    /// <summary>
    /// Adds a seed: data the host writes into a tenant once per <paramref name="version"/>. A
    /// <paramref name="demoOnly"/> seed fills only the demo tenant with sample records; otherwise the
    /// seed is starter data every tenant gets (and the <c>seed</c> CLI verb can apply it to one).
    /// </summary>
    IPluginBuilder AddSeed<TSeed>(string name, int version, string description, bool demoOnly = true) where TSeed : class, Seeding.IPluginSeed;

    /// <summary>
    /// Adds typed settings bound from configuration section <c>PluginSettings:&lt;plugin id&gt;</c> and
    /// validated with data annotations when the plugin loads. Resolve them as
    /// <c>IOptions&lt;TSettings&gt;</c> or <typeparamref name="TSettings"/> directly.
    /// </summary>
    IPluginBuilder AddSettings<TSettings>() where TSettings : class, new();
}
