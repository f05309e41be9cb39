namespace QmsAgentHost.Pages;

/// <summary>The Razor Pages console. Every page needs a signed-in user unless it says otherwise.</summary>
public static class PagesExtensions
{
    public static IHostApplicationBuilder AddQmsConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/SignOut");
        });
        return builder;
    }

    /// <summary>Static files (the console's CSS) are served before authentication, so they cost no database round trip.</summary>
    public static WebApplication UseQmsConsole(this WebApplication app)
    {
        app.UseStaticFiles();
        return app;
    }

    public static WebApplication MapQmsConsole(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }
}
