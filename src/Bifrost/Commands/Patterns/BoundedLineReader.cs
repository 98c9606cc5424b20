namespace Bifrost.Commands.Patterns;

/// <summary>
/// Reads lines from a stream with bounded memory: a line longer than <see cref="MaxLineLength"/> is cut there
/// and the rest of it skipped (StreamReader.ReadLine would build the whole line, however many GB it is).
/// Handles \n, \r\n and a last line without a newline.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader)
{
    public const int MaxLineLength = 1 << 20;

    private readonly char[] _buffer = new char[64 * 1024];
    private readonly System.Text.StringBuilder _line = new();
    private int _position;
    private int _length;

    public string? ReadLine()
    {
        _line.Clear();
        var sawAnything = false;
        while (true)
        {
            if (_position == _length)
            {
                _length = reader.Read(_buffer, 0, _buffer.Length);
                _position = 0;
                if (_length == 0)
                {
                    return sawAnything ? Finish() : null;
                }
            }

            sawAnything = true;
            var span = _buffer.AsSpan(_position, _length - _position);
            var newline = span.IndexOf('\n');
            var chunk = newline < 0 ? span : span[..newline];
            Append(chunk);
            _position += chunk.Length;
            if (newline >= 0)
            {
                _position++;
                return Finish();
            }
        }
    }

    private void Append(ReadOnlySpan<char> chunk)
    {
        var room = MaxLineLength - _line.Length;
        if (room > 0)
        {
            _line.Append(chunk.Length <= room ? chunk : chunk[..room]);
        }
    }

    private string Finish()
    {
        if (_line.Length > 0 && _line[^1] == '\r')
        {
            _line.Length--;
        }

        return _line.ToString();
    }
}
