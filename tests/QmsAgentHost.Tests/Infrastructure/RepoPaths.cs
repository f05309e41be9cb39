namespace QmsAgentHost.Tests.Infrastructure;

/// <summary>Where the repository and its build artifacts are, found from the test assembly's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Deployed product plugins (HelloPlugin).</summary>
    public static string Plugins => Path.Combine(Root, "artifacts", "plugins");

    /// <summary>Deployed test fixture plugins.</summary>
    public static string TestPlugins => Path.Combine(Root, "artifacts", "test-plugins");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "QmsAgentHost.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("QmsAgentHost.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Copies a deployed plugin folder into <paramref name="destinationRoot"/>, optionally under another folder name.</summary>
    public static string CopyPlugin(string sourceFolder, string destinationRoot, string? folderName = null)
    {
        var destination = Path.Combine(destinationRoot, folderName ?? Path.GetFileName(sourceFolder));
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(sourceFolder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(sourceFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        return destination;
    }
}
