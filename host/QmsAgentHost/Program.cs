using QmsAgentHost.Api;
using QmsAgentHost.Audit;
using QmsAgentHost.Cli;
using QmsAgentHost.Data;
using QmsAgentHost.Identity;
using QmsAgentHost.Plugins;
using QmsAgentHost.Scheduling;
using QmsAgentHost.Signatures;

var builder = WebApplication.CreateBuilder(args);
builder.AddQmsConfiguration();
builder.AddApi();
builder.AddData();
builder.AddQmsIdentity();
builder.AddAuditTrail();
builder.AddPlugins();
builder.AddScheduling();

var app = builder.Build();
app.UseApi();
app.UseQmsIdentity();

app.MapHealth();
app.MapGroup("/api/auth").MapAuthApi();
app.MapGroup("/api/plugins").MapPluginsApi().RequireAuthorization();
app.MapGroup("/api/audit").MapAuditApi().RequireAuthorization();
app.MapGroup("/api/signatures").MapSignaturesApi().RequireAuthorization();

return await app.RunAsync(args);

/// <summary>Entry point; public so tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
