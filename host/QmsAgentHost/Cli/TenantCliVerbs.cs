using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using QmsAgentHost.Data;
using QmsAgentHost.Data.Migrations;
using QmsAgentHost.Identity;

namespace QmsAgentHost.Cli;

/// <summary>
/// <c>tenant create|list|disable|enable</c> and <c>site add</c>: a consultant provisions client
/// organizations from the host executable (or <c>scripts/qms</c>). Each prints JSON on standard
/// output and is audited in the tenant's own chain. Exit codes: 0 done, 1 refused (the message is on
/// standard error), 2 usage. Every verb answers <c>--help</c>.
/// </summary>
internal abstract class TenantAdminVerb(TenantAdministration administration, MigrationRunner migrations) : ICliVerb
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public abstract string Name { get; }

    public TextWriter Output { get; init; } = Console.Out;

    public TextWriter Error { get; init; } = Console.Error;

    protected TenantAdministration Administration => administration;

    protected abstract Command Build();

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var root = new RootCommand("QMS Agent Host") { Build() };
        var result = root.Parse([Name, .. args]);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await Error.WriteLineAsync(error.Message);
            }
            await Error.WriteLineAsync($"Run '{Name} --help' for usage.");
            return 2;
        }
        return await result.InvokeAsync(new InvocationConfiguration { Output = Output, Error = Error }, cancellationToken);
    }

    /// <summary>Runs one administrative action: the schema brought up to date first, the result written as JSON.</summary>
    protected async Task<int> RunActionAsync<T>(Func<Identity.AuditActor, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await migrations.ApplyAsync([CoreMigrations.Batch], cancellationToken);
            var result = await action(Actor, cancellationToken);
            await Output.WriteLineAsync(JsonSerializer.Serialize(result, Json));
            return 0;
        }
        catch (TenantAdministrationException ex)
        {
            await Error.WriteLineAsync(ex.Message);
            return 1;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or DatabaseUnavailableException)
        {
            await Error.WriteLineAsync($"The database could not be reached or refused the change: {ex.Message}");
            return 1;
        }
    }

    // The person at the keyboard, as the audit trail names them.
    private static AuditActor Actor => new(null, $"cli:{Environment.UserName}", Guid.NewGuid().ToString("N"));
}

internal sealed class TenantCliVerb(TenantAdministration administration, MigrationRunner migrations) : TenantAdminVerb(administration, migrations)
{
    public override string Name => "tenant";

    protected override Command Build()
    {
        var root = new Command(Name, "Provision and look after client organizations (tenants).");
        root.Subcommands.Add(CreateCommand());
        root.Subcommands.Add(new Command("list", "Lists every organization: id, slug, name, whether it is disabled.")
            .WithAction((_, ct) => RunActionAsync((actor, c) => Administration.ListAsync(actor, c), ct)));
        root.Subcommands.Add(SwitchCommand("disable", "Disables an organization: its users cannot sign in, its API keys and sessions stop working and its jobs stop running.", true));
        root.Subcommands.Add(SwitchCommand("enable", "Enables a disabled organization again.", false));
        return root;
    }

    private Command CreateCommand()
    {
        var name = new Option<string>("--name") { Description = "The organization's name, e.g. \"Beta Castings\".", Required = true };
        var slug = new Option<string>("--slug") { Description = "Its short name in sign-in and URLs: lower-case letters, digits and dashes, e.g. beta.", Required = true };
        var owner = new Option<string>("--owner") { Description = "The Owner's login (an e-mail address), e.g. owner@beta.example.", Required = true };
        var sites = new Option<string[]>("--site")
        {
            Description = "A site, by name (\"Detroit\") or CODE=Name (\"DET=Detroit\"); repeat for more.",
            AllowMultipleArgumentsPerToken = false,
        };
        var passwordFile = new Option<FileInfo>("--owner-password-file") { Description = "Read the Owner's password from this file's first line instead of generating one." };
        var apiKey = new Option<bool>("--api-key") { Description = "Also issue an Owner API key, shown once in the output." };
        var command = new Command("create", "Creates an organization with its Owner (and sites); prints the Owner's one-time password.")
        {
            name, slug, owner, sites, passwordFile, apiKey,
        };
        command.SetAction((result, ct) => RunActionAsync(async (actor, c) =>
        {
            string? password = null;
            if (result.GetValue(passwordFile) is { } file)
            {
                password = file.Exists
                    ? (await File.ReadAllLinesAsync(file.FullName, c)).FirstOrDefault()?.Trim()
                    : throw new TenantAdministrationException($"No file {file.FullName}.");
            }
            var siteList = (result.GetValue(sites) ?? []).Select(ParseSite).ToList();
            return await Administration.CreateAsync(result.GetValue(name)!, result.GetValue(slug)!, result.GetValue(owner)!, siteList, password,
                result.GetValue(apiKey), actor, c);
        }, ct));
        return command;
    }

    private Command SwitchCommand(string verb, string description, bool disable)
    {
        var slug = new Argument<string>("slug") { Description = "The organization's slug (or id)." };
        var command = new Command(verb, description) { slug };
        command.SetAction((result, ct) => RunActionAsync((actor, c) => Administration.SetDisabledAsync(result.GetValue(slug)!, disable, actor, c), ct));
        return command;
    }

    private static NewSite ParseSite(string text)
    {
        var (code, name) = text.Split('=', 2) is [var c, var n] ? (c.Trim(), n.Trim()) : (SiteDirectory.CodeFrom(text), text.Trim());
        return SiteDirectory.IsValidCode(code) && name.Length is > 0 and <= 200
            ? new NewSite(code, name)
            : throw new TenantAdministrationException($"'{text}' is not a site: give a name, or CODE=Name with a code of 1 to 32 letters, digits or dashes.");
    }
}

internal sealed class SiteCliVerb(TenantAdministration administration, MigrationRunner migrations) : TenantAdminVerb(administration, migrations)
{
    public override string Name => "site";

    protected override Command Build()
    {
        var slug = new Argument<string>("slug") { Description = "The organization's slug (or id)." };
        var name = new Argument<string>("name") { Description = "The site's name, e.g. Detroit." };
        var code = new Option<string>("--code") { Description = "Its code (letters, digits, dashes; up to 32); made from the name when not given." };
        var add = new Command("add", "Adds a site to an organization.") { slug, name, code };
        add.SetAction((result, ct) => RunActionAsync(
            (actor, c) => Administration.AddSiteAsync(result.GetValue(slug)!, result.GetValue(name)!, result.GetValue(code), actor, c), ct));
        var root = new Command(Name, "Looks after an organization's sites.");
        root.Subcommands.Add(add);
        return root;
    }
}

internal static class CommandExtensions
{
    public static Command WithAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        command.SetAction(action);
        return command;
    }
}
