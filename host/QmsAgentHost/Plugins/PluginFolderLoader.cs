using System.ComponentModel.DataAnnotations;
using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Options;
using QmsAgentHost.Sdk.Plugins;

namespace QmsAgentHost.Plugins;

/// <summary>
/// Loads one plugin folder into its own collectible load context. Every way a plugin can be
/// unusable ends in a <see cref="PluginRecord"/> with status Failed and a reason a person can act on;
/// nothing a plugin does here can stop the host.
/// </summary>
internal sealed class PluginFolderLoader(IServiceProvider hostServices, IConfiguration configuration, ILogger<PluginFolderLoader> logger)
{
    private static readonly Lazy<AssemblyName[]> Shared = new(FindSharedAssemblies);

    public PluginRecord Load(string folder)
    {
        var folderName = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        PluginManifest manifest;
        try
        {
            manifest = ReadManifest(folder);
        }
        catch (PluginManifestException ex)
        {
            return Fail(folderName, folder, null, ex.Message);
        }

        if (!SemanticVersionRange.TryParse(manifest.SdkVersion, out var range) || !range.Includes(SemanticVersion.Sdk))
        {
            return Fail(manifest.Id, folder, manifest,
                $"needs SDK {manifest.SdkVersion}, but this host provides SDK {SemanticVersion.Sdk}. Rebuild the plugin against a compatible SDK.");
        }
        var entryPath = Path.Combine(folder, manifest.EntryAssembly);
        if (!File.Exists(entryPath))
        {
            return Fail(manifest.Id, folder, manifest, $"entry assembly '{manifest.EntryAssembly}' is not in the plugin folder.");
        }

        PluginLoader? loader = null;
        try
        {
            loader = PluginLoader.CreateFromAssemblyFile(entryPath, isUnloadable: true, sharedTypes: [], configure: config =>
            {
                config.LoadInMemory = true;
                config.PreferSharedTypes = false;
                foreach (var name in Shared.Value)
                {
                    config.SharedAssemblies.Add(name);
                }
            });
            var runtime = Configure(manifest, loader);
            return PluginRecord.Loaded(manifest, folder, runtime);
        }
        catch (PluginLoadException ex)
        {
            loader?.Dispose();
            return Fail(manifest.Id, folder, manifest, ex.Message);
        }
        catch (Exception ex)
        {
            loader?.Dispose();
            return Fail(manifest.Id, folder, manifest, $"could not be loaded: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private PluginRuntime Configure(PluginManifest manifest, PluginLoader loader)
    {
        Assembly assembly;
        try
        {
            assembly = loader.LoadDefaultAssembly();
        }
        catch (BadImageFormatException ex)
        {
            throw new PluginLoadException($"entry assembly is not a valid .NET assembly: {ex.Message}");
        }
        CheckDependencies(loader, assembly);
        var plugin = CreateEntryPoint(assembly);
        var builder = new PluginBuilder(manifest, hostServices);
        try
        {
            plugin.Configure(builder);
        }
        catch (Exception ex)
        {
            throw new PluginLoadException($"threw in Configure: {ex.GetType().Name}: {ex.Message}");
        }

        var json = FunctionArguments.CreatePluginOptions();
        List<PluginFunction> functions;
        try
        {
            functions = [.. builder.FunctionTypes.SelectMany(t => PluginFunction.FromType(manifest.Id, t, json))];
        }
        catch (Exception ex) when (ex is ArgumentException or Microsoft.SemanticKernel.KernelException or NotSupportedException)
        {
            throw new PluginLoadException($"a function cannot be described to the AI runtime: {ex.Message}");
        }
        CheckFunctions(manifest, functions);
        AddSettings(manifest, builder);
        var services = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        return new PluginRuntime(loader, services, json, functions, builder.Migrations, builder.Jobs, builder.Workflows, builder.Events, builder.Seeds);
    }

    // A missing dependency otherwise surfaces only when a function first runs; find it now.
    private static void CheckDependencies(PluginLoader loader, Assembly assembly)
    {
        foreach (var reference in assembly.GetReferencedAssemblies())
        {
            try
            {
                loader.LoadAssembly(reference);
            }
            catch (FileNotFoundException)
            {
                throw new PluginLoadException($"missing dependency {reference.Name} {reference.Version}: it is neither in the plugin folder nor shared by the host.");
            }
            catch (FileLoadException ex)
            {
                throw new PluginLoadException($"dependency {reference.Name} {reference.Version} could not be loaded: {ex.Message}");
            }
        }
    }

    private static IQmsPlugin CreateEntryPoint(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var first = ex.LoaderExceptions.FirstOrDefault(e => e is not null);
            throw new PluginLoadException($"types could not be loaded: {first?.Message ?? ex.Message}");
        }
        var entryTypes = types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IQmsPlugin).IsAssignableFrom(t)).ToList();
        if (entryTypes.Count != 1)
        {
            throw new PluginLoadException(entryTypes.Count == 0
                ? "the entry assembly has no class implementing IQmsPlugin (is it built against this SDK?)."
                : $"the entry assembly has {entryTypes.Count} classes implementing IQmsPlugin; it must have exactly one.");
        }
        try
        {
            return (IQmsPlugin)Activator.CreateInstance(entryTypes[0])!;
        }
        catch (Exception ex)
        {
            throw new PluginLoadException($"{entryTypes[0].Name} could not be created: {(ex.InnerException ?? ex).Message}");
        }
    }

    private static void CheckFunctions(PluginManifest manifest, List<PluginFunction> functions)
    {
        var declared = manifest.Permissions.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var function in functions)
        {
            if (function.Permission.Length == 0)
            {
                throw new PluginLoadException($"function {function.Name} has no [Permission]; every function must name the permission it needs.");
            }
            if (!declared.Contains(function.Permission))
            {
                throw new PluginLoadException($"function {function.Name} needs permission '{function.Permission}', which plugin.json does not declare.");
            }
        }
        var duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new PluginLoadException($"function name '{duplicate.Key}' is used twice.");
        }
    }

    // Settings bind from PluginSettings:<id> and are validated now, so a bad value fails the plugin at start.
    private void AddSettings(PluginManifest manifest, PluginBuilder builder)
    {
        var section = configuration.GetSection($"PluginSettings:{manifest.Id}");
        foreach (var type in builder.SettingsTypes)
        {
            var settings = section.Get(type) ?? Activator.CreateInstance(type)!;
            var errors = ValidateProperties(settings);
            if (errors.Count > 0)
            {
                throw new PluginLoadException($"settings {type.Name} (PluginSettings:{manifest.Id}) are invalid: {string.Join("; ", errors)}");
            }
            builder.Services.AddSingleton(type, settings);
            var optionsType = typeof(IOptions<>).MakeGenericType(type);
            var wrap = typeof(Options).GetMethod(nameof(Options.Create))!.MakeGenericMethod(type);
            builder.Services.AddSingleton(optionsType, wrap.Invoke(null, [settings])!);
        }
    }

    // Not Validator.TryValidateObject: its static attribute cache would hold the plugin's types and
    // keep the plugin's load context from ever being collected.
    private static List<string> ValidateProperties(object settings)
    {
        var errors = new List<string>();
        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(settings);
            var context = new ValidationContext(settings) { MemberName = property.Name, DisplayName = property.Name };
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (attribute.GetValidationResult(value, context) is { ErrorMessage: { } message })
                {
                    errors.Add(message);
                }
            }
        }
        return errors;
    }

    private static PluginManifest ReadManifest(string folder)
    {
        var path = Path.Combine(folder, PluginManifest.FileName);
        if (!File.Exists(path))
        {
            throw new PluginManifestException("the folder has no plugin.json.");
        }
        var info = new FileInfo(path);
        if (info.Length > 64 * 1024)
        {
            throw new PluginManifestException("plugin.json is larger than 64 KiB.");
        }
        return PluginManifest.Parse(File.ReadAllText(path));
    }

    private PluginRecord Fail(string id, string folder, PluginManifest? manifest, string reason)
    {
        logger.LogWarning("Plugin {PluginId} in {Folder} refused: {Reason}", id, folder, reason);
        return PluginRecord.Failed(id, folder, manifest, reason);
    }

    // The contract a plugin shares with the host: the SDK, Semantic Kernel abstractions,
    // Microsoft.Extensions.* and the PostgreSQL client the SDK's types expose. Everything else a
    // plugin carries stays private to it, so two plugins can use different versions of a library.
    private static AssemblyName[] FindSharedAssemblies()
    {
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return [.. trusted
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => name is not null && IsShared(name))
            .Distinct(StringComparer.Ordinal)
            .Select(name => new AssemblyName(name!))];
    }

    internal static bool IsShared(string assemblyName) =>
        assemblyName is "QmsAgentHost.Sdk" or "Microsoft.SemanticKernel.Abstractions" or "Npgsql" or "Pgvector"
        || assemblyName.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
        || assemblyName.StartsWith("Microsoft.Bcl.", StringComparison.Ordinal);
}

/// <summary>A plugin cannot be used; the message says why.</summary>
internal sealed class PluginLoadException(string message) : Exception(message);
