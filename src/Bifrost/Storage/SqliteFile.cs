namespace Bifrost.Storage;

/// <summary>
/// The embedded database holds every stored request and the API key hashes: it is created readable by its owner
/// only (0600). SQLite gives its -wal and -shm files the database file's permissions, so they follow. An existing
/// file keeps the permissions its owner chose.
/// </summary>
internal static class SqliteFile
{
    public static void CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows() || string.IsNullOrEmpty(path) || path.StartsWith(':') || path.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || File.Exists(path))
        {
            return;
        }

        try
        {
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException)
        {
            // Created by another process meanwhile, or the directory is missing: SQLite reports the latter itself.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise: SQLite's own error names the path.
        }
    }
}
