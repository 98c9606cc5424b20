namespace Bifrost.Tests;

/// <summary>Files of the repository itself (deploy/, docs/, test data), found from the test binary's folder upwards.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bifrost.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Bifrost.slnx above {AppContext.BaseDirectory}");
    }
}
