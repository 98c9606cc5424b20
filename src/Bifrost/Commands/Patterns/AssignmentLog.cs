namespace Bifrost.Commands.Patterns;

/// <summary>
/// The template id of every input line, in order, spilled to a temporary file (8 bytes a line) so
/// <c>patterns --assign</c> keeps flat memory on any input; read back once merges are final. The file is
/// deleted when disposed (or by the OS when the process dies).
/// </summary>
internal sealed class AssignmentLog : IDisposable
{
    private readonly FileStream _file = new(
        Path.Combine(Path.GetTempPath(), $"bifrost-assign-{Guid.NewGuid():N}.bin"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

    private readonly BinaryWriter _writer;

    public AssignmentLog() => _writer = new BinaryWriter(_file, System.Text.Encoding.UTF8, leaveOpen: true);

    public void Append(long clusterId) => _writer.Write(clusterId);

    /// <summary>Every recorded id, in order (call once, after the last <see cref="Append"/>).</summary>
    public IEnumerable<long> ReadAll()
    {
        _writer.Flush();
        _file.Position = 0;
        using var reader = new BinaryReader(_file, System.Text.Encoding.UTF8, leaveOpen: true);
        var count = _file.Length / sizeof(long);
        for (long i = 0; i < count; i++)
        {
            yield return reader.ReadInt64();
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }
}
