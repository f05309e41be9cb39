using QmsAgentHost.Api;
using QmsAgentHost.Audit;
using QmsAgentHost.Cli;
using QmsAgentHost.Data;
using QmsAgentHost.Hosting;
using QmsAgentHost.Identity;
using QmsAgentHost.Pages;
using QmsAgentHost.Planning;
using QmsAgentHost.Plugins;
using QmsAgentHost.Scheduling;
using QmsAgentHost.Signatures;

var builder = WebApplication.CreateBuilder(args);
builder.AddQmsConfiguration(args);
builder.AddApi();
builder.AddPluginRuntime();
builder.AddPlanning();
builder.AddScheduling();
builder.AddCliVerbs();
builder.AddQmsConsole();

var app = builder.Build();
app.UseApi();
app.UseQmsConsole();
app.UseQmsIdentity();

app.MapHealth();
app.MapGroup("/api/auth").MapAuthApi();
app.MapGroup("/api/users").MapUsersApi();
app.MapGroup("/api/roles").MapRolesApi();
app.MapGroup("/api/api-keys").MapApiKeysApi();
app.MapGroup("/api/sites").MapSitesApi();
app.MapGroup("/api/plugins").MapPluginsApi();
app.MapGroup("/api/audit").MapAuditApi();
app.MapGroup("/api/signatures").MapSignaturesApi();
app.MapGroup("/api/chat").MapChatApi();
app.MapQmsConsole();

return await app.RunAsync(args);

/// <summary>Entry point; public so tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
