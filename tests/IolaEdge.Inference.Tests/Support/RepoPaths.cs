namespace IolaEdge.Inference.Tests.Support;

/// <summary>Locates files of the repository the tests were built from (models/, training/).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Model(string name) => Path.Combine(Root, "models", name);

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir, "IolaEdge.sln")))
            {
                return dir;
            }

            dir = Path.GetDirectoryName(dir);
        }

        throw new InvalidOperationException($"no IolaEdge.sln above {AppContext.BaseDirectory}");
    }
}
