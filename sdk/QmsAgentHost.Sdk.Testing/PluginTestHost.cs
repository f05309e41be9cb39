using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using QmsAgentHost.Audit;
using QmsAgentHost.Data;
using QmsAgentHost.Identity;
using QmsAgentHost.Hosting;
using QmsAgentHost.Plugins;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Sdk.Testing;

/// <summary>
/// Runs one deployed plugin inside the real host machinery, against a fresh PostgreSQL database,
/// so a plugin author's test calls the plugin's functions exactly as the host's API would.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="StartAsync"/> creates a database, applies the host's core migrations, checks that the
/// application role cannot bypass row-level security, loads the plugin folder with the host's
/// loader into its own load context, applies the plugin's migrations (refusing a table without a
/// forced policy), and provisions one tenant. <see cref="CallAsync"/> then runs a function for a
/// user of that tenant through the host's invoker: the same permission check, argument binding,
/// tenant-scoped database sessions and error mapping as <c>POST /api/plugins/{id}/functions/{name}</c>.
/// Disposing drops the database.
/// </para>
/// <para>
/// The plugin sees <see cref="Clock"/> as its <see cref="TimeProvider"/>. Audit events are stamped
/// by the database server's clock, not by the test clock.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using var host = await PluginTestHost.StartAsync(pluginFolder, Environment.GetEnvironmentVariable("QMS_DB_ADMIN"));
/// var maria = await host.CreateUserAsync("Analyst");
/// var entry = await host.CallAsync(maria, "sign_guest_book", new { name = "Maria", message = "hi" });
/// </code>
/// </example>
public sealed class PluginTestHost : IAsyncDisposable
{
    private const string SiteCode = "MAIN";

    private static readonly JsonSerializerOptions ArgumentJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly IHost _host;
    private readonly ScratchDatabase _database;
    private readonly PluginRecord _plugin;
    private readonly ProvisionedTenant _tenant;
    private readonly string _slug;
    private long _auditSequenceAtStart;
    private int _users;
    private bool _disposed;

    private PluginTestHost(IHost host, ScratchDatabase database, PluginRecord plugin, ProvisionedTenant tenant, string slug, FakeTimeProvider clock)
    {
        _host = host;
        _database = database;
        _plugin = plugin;
        _tenant = tenant;
        _slug = slug;
        Clock = clock;
    }

    /// <summary>The clock the plugin sees as its <see cref="TimeProvider"/>. Move it with <c>Advance</c> or <c>SetUtcNow</c>.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The plugin's id, from its <c>plugin.json</c>.</summary>
    public string PluginId => _plugin.Id;

    /// <summary>The names of the plugin's functions, as <see cref="CallAsync"/> takes them.</summary>
    public IReadOnlyList<string> FunctionNames => [.. _plugin.Functions.Select(f => f.Name)];

    /// <summary>The test tenant (organization) every user of this host belongs to.</summary>
    public Guid OrgId => _tenant.OrgId;

    /// <summary>The tenant's one site (code <c>MAIN</c>); every user made here belongs to it.</summary>
    public Guid SiteId => _tenant.SiteIds[SiteCode];

    /// <summary>The name of the database made for this host; it is dropped on dispose.</summary>
    public string DatabaseName => _database.Name;

    private IServiceProvider Services => _host.Services;

    /// <summary>
    /// Creates a database, loads and migrates the plugin in <paramref name="pluginFolder"/> and
    /// provisions a tenant.
    /// </summary>
    /// <param name="pluginFolder">
    /// A deployed plugin folder (<c>plugin.json</c> and the plugin's assemblies), such as
    /// <c>artifacts/plugins/hello</c> after a build. See <see cref="FindFolderAbove"/>.
    /// </param>
    /// <param name="connectionString">
    /// The owner role's connection string (<c>QMS_DB_ADMIN</c>): it must be allowed to create
    /// databases. Its database is only used to create and drop the test database.
    /// </param>
    /// <param name="appConnectionString">
    /// The application role's connection string (a role that owns nothing and belongs to
    /// <c>qms_runtime</c>); defaults to the <c>QMS_DB</c> environment variable. Its database name
    /// is replaced with the test database's.
    /// </param>
    /// <param name="options">Plugin settings, the clock's start, logging.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <exception cref="PluginRefusedException">The host refused the plugin; the reason says why.</exception>
    /// <exception cref="InvalidOperationException">No database is configured, or the application role could bypass row-level security.</exception>
    public static async Task<PluginTestHost> StartAsync(
        string pluginFolder,
        string? connectionString,
        string? appConnectionString = null,
        PluginTestHostOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new PluginTestHostOptions();
        var folder = Path.GetFullPath(pluginFolder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"No plugin folder at {folder}. Build the plugin first: a project with <QmsPluginId> deploys itself to artifacts/plugins/<id>/.");
        }
        var admin = Required(connectionString, "connectionString", "QMS_DB_ADMIN");
        var app = Required(appConnectionString ?? Environment.GetEnvironmentVariable("QMS_DB"), "appConnectionString", "QMS_DB");

        var database = await ScratchDatabase.CreateAsync(admin, app, cancellationToken);
        IHost? host = null;
        try
        {
            var clock = options.StartTime is { } start ? new FakeTimeProvider(start) : new FakeTimeProvider();
            host = BuildHost(database, clock, options);
            var plugin = await LoadPluginAsync(host.Services, folder, cancellationToken);
            var slug = "test-" + Guid.NewGuid().ToString("N")[..12];
            var tenant = await host.Services.GetRequiredService<TenantProvisioner>().CreateAsync(
                "Plugin test tenant", slug, [new NewSite(SiteCode, "Main plant")], [], cancellationToken);
            var testHost = new PluginTestHost(host, database, plugin, tenant, slug, clock);
            testHost._auditSequenceAtStart = await testHost.ReadAuditHeadAsync(cancellationToken);
            return testHost;
        }
        catch
        {
            try
            {
                await ReleaseAsync(host, database);
            }
            catch (NpgsqlException)
            {
                // Why start-up failed matters more than a database left behind; the next run is unaffected.
            }
            throw;
        }
    }

    /// <summary>
    /// Walks up from the test assembly's folder until <paramref name="relativePath"/> exists under
    /// a parent, e.g. <c>FindFolderAbove("artifacts/plugins/hello")</c> from a test project of the
    /// plugin's repository.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No parent folder has it.</exception>
    public static string FindFolderAbove(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"No folder '{relativePath}' above {AppContext.BaseDirectory}. Is the plugin built?");
    }

    /// <summary>Adds a user with <paramref name="role"/> to the test tenant.</summary>
    /// <param name="role">Owner, Admin, Manager, Analyst, Viewer or Auditor.</param>
    /// <param name="displayName">The user's name; defaults to the role and a number, e.g. <c>Analyst 1</c>.</param>
    /// <param name="cancellationToken">Cancels the insert.</param>
    /// <exception cref="ArgumentException"><paramref name="role"/> is not a built-in role.</exception>
    public async Task<TestUser> CreateUserAsync(string role, string? displayName = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Roles.IsRole(role))
        {
            throw new ArgumentException($"'{role}' is not a role. Roles: {string.Join(", ", Roles.All)}.", nameof(role));
        }
        var number = Interlocked.Increment(ref _users);
        var user = new NewUser($"{role.ToLowerInvariant()}{number}@{_slug}.test", displayName ?? $"{role} {number}", role, Password: null, SiteCode);
        await using var session = await BeginSessionAsync(cancellationToken: cancellationToken);
        var userId = await TenantProvisioner.InsertUserAsync(session, user, _tenant.SiteIds, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new TestUser(userId, user.Login, user.DisplayName, role);
    }

    /// <summary>
    /// Calls a function of the plugin as <paramref name="user"/>, with that user's permissions in
    /// the test tenant, and returns its result as JSON (<c>null</c> JSON for a function that returns nothing).
    /// </summary>
    /// <param name="user">Who calls.</param>
    /// <param name="function">The function's name, e.g. <c>sign_guest_book</c> (case-insensitive).</param>
    /// <param name="arguments">
    /// An object whose properties are the arguments, e.g. <c>new { name = "Maria" }</c>, or a
    /// dictionary, or a <see cref="JsonElement"/> object; null for none.
    /// </param>
    /// <param name="cancellationToken">Passed to the function.</param>
    /// <exception cref="PluginCallException">The call was refused or failed; <see cref="PluginCallException.StatusCode"/> says how.</exception>
    public async Task<JsonElement> CallAsync(TestUser user, string function, object? arguments = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(user);
        var catalog = Services.GetRequiredService<PluginCatalog>();
        var target = catalog.FindFunction(PluginId, function)
            ?? throw new PluginCallException($"{PluginId}.{function}", 404,
                $"No loaded function '{function}' in plugin '{PluginId}'. It has: {string.Join(", ", FunctionNames)}.");

        await using var scope = Services.CreateAsyncScope();
        await SignInAsync(scope.ServiceProvider, user, cancellationToken);
        try
        {
            var invoker = scope.ServiceProvider.GetRequiredService<PluginFunctionInvoker>();
            return await invoker.InvokeAsync(_plugin, target, ToArguments(arguments), scope.ServiceProvider, cancellationToken);
        }
        catch (FunctionCallException ex)
        {
            throw new PluginCallException(target.QualifiedName, ex.StatusCode, ex.Message, ex.InnerException);
        }
    }

    /// <summary>Calls a function like <see cref="CallAsync"/> and reads its result as <typeparamref name="T"/> (web JSON conventions: camelCase, enums as strings).</summary>
    /// <exception cref="PluginCallException">The call was refused or failed.</exception>
    public async Task<T?> CallAsync<T>(TestUser user, string function, object? arguments = null, CancellationToken cancellationToken = default) =>
        (await CallAsync(user, function, arguments, cancellationToken)).Deserialize<T>(ArgumentJson);

    /// <summary>
    /// The events recorded in the test tenant's audit trail since the host started, oldest first
    /// (the tenant's own creation is left out).
    /// </summary>
    public async Task<IReadOnlyList<AuditEvent>> AuditEventsAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var session = await BeginSessionAsync(cancellationToken: cancellationToken);
        var events = await AuditTrailReader.ReadSinceAsync(session, _auditSequenceAtStart, action: null, cancellationToken);
        return [.. events.Select(e => new AuditEvent(
            e.Seq, e.OccurredAt, e.ActorId, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Before, e.After, e.Reason, e.CorrelationId, e.Hash))];
    }

    /// <summary>
    /// Opens a transaction as the application role bound to the test tenant, the same kind of
    /// session the plugin gets from <c>ITenantDatabase</c>: row-level security applies. Use it to
    /// arrange data or to check what the plugin stored. Commit to keep changes.
    /// </summary>
    /// <param name="user">Sets <c>app.user_id</c> for the transaction, as a call by that user would.</param>
    /// <param name="cancellationToken">Cancels opening the session.</param>
    public Task<TenantSession> BeginSessionAsync(TestUser? user = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Services.GetRequiredService<QmsDataSources>().BeginTenantAsync(OrgId, user?.UserId, cancellationToken);
    }

    /// <summary>Unloads the plugin, stops the host's services and drops the test database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Services.GetRequiredService<PluginCatalog>().Unload(PluginId);
        await ReleaseAsync(_host, _database);
    }

    // The host's own composition of everything a plugin call needs (the same AddPluginRuntime that
    // Program uses), without the HTTP-only parts, the scheduler and the console.
    private static IHost BuildHost(ScratchDatabase database, FakeTimeProvider clock, PluginTestHostOptions options)
    {
        // No defaults: nothing from the test's environment variables or working folder leaks in.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Development,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Qms"] = database.AppConnectionString,
            ["ConnectionStrings:QmsAdmin"] = database.AdminConnectionString,
            ["Database:MigrateOnStart"] = "true",
        });
        builder.Configuration.AddInMemoryCollection(options.Configuration);
        builder.AddPluginRuntime();
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateScopes = true }));
        return builder.Build();
    }

    // What the host does at start, for one folder: the start-up tasks before plugins (core
    // migrations, the row-level security guard on the application role), then the plugin loader.
    private static async Task<PluginRecord> LoadPluginAsync(IServiceProvider services, string folder, CancellationToken cancellationToken)
    {
        var plugins = services.GetRequiredService<PluginStartup>();
        foreach (var task in services.GetServices<IStartupTask>().Where(t => t.Order < plugins.Order).OrderBy(t => t.Order))
        {
            await task.RunAsync(cancellationToken);
        }
        await plugins.LoadAsync([folder], cancellationToken);
        var record = services.GetRequiredService<PluginCatalog>().All.Single();
        return record.Status == PluginStatus.Loaded
            ? record
            : throw new PluginRefusedException(record.Id, record.FailureReason ?? record.Status.ToString());
    }

    // What the request pipeline does for a signed-in user: reload the user and resolve the role's
    // permissions in the tenant (tenant edits included), then fix the scope's tenant context.
    private async Task SignInAsync(IServiceProvider scope, TestUser user, CancellationToken cancellationToken)
    {
        var caller = await scope.GetRequiredService<CallerResolver>().ResolveSessionAsync(OrgId, user.UserId, stamp: null, "cookie", cancellationToken)
            ?? throw new InvalidOperationException($"User {user.Login} is not an active user of the test tenant.");
        scope.GetRequiredService<TenantContext>().Set(caller);
    }

    private static Dictionary<string, JsonElement> ToArguments(object? arguments)
    {
        var json = arguments switch
        {
            null => JsonSerializer.SerializeToElement(new { }),
            JsonElement element => element,
            _ => JsonSerializer.SerializeToElement(arguments, arguments.GetType(), ArgumentJson),
        };
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("Arguments must be an object of argument names to values, e.g. new { name = \"Maria\" }.", nameof(arguments));
        }
        return json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.OrdinalIgnoreCase);
    }

    private async Task<long> ReadAuditHeadAsync(CancellationToken cancellationToken)
    {
        await using var session = await BeginSessionAsync(cancellationToken: cancellationToken);
        await using var command = session.CreateCommand("SELECT coalesce(max(seq), 0) FROM core.audit_events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string Required(string? value, string parameter, string variable) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException(
                $"No {parameter}: pass it or set {variable}. In this repository: eval \"$(scripts/db.sh env)\" (or run scripts/test.sh), which starts PostgreSQL and sets QMS_DB and QMS_DB_ADMIN.")
            : value;

    private static async Task ReleaseAsync(IHost? host, ScratchDatabase database)
    {
        try
        {
            if (host is IAsyncDisposable asyncHost)
            {
                await asyncHost.DisposeAsync();
            }
            else
            {
                host?.Dispose();
            }
        }
        finally
        {
            await database.DropAsync();
        }
    }
}
