using Archiver.Configuration.Hocon.Syntax;

namespace Archiver.Configuration.Hocon;

/// <summary>
/// A HOCON document could not be read, parsed or resolved. The message starts with
/// <c>source:line:column:</c> (for example <c>archiver.conf:12:7: expected '}' but found end of file</c>).
/// </summary>
public sealed class HoconException : Exception
{
    public HoconException()
        : this("invalid HOCON")
    {
    }

    public HoconException(string message)
        : base(message)
    {
        Reason = message;
        SourceName = string.Empty;
    }

    public HoconException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
        SourceName = string.Empty;
    }

    public HoconException(string sourceName, int line, int column, string reason)
        : this(sourceName, line, column, reason, null)
    {
    }

    public HoconException(string sourceName, int line, int column, string reason, Exception? innerException)
        : base($"{sourceName}:{line}:{column}: {reason}", innerException)
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    internal HoconException(SourcePosition position, string reason, Exception? innerException = null)
        : this(position.Source, position.Line, position.Column, reason, innerException)
    {
    }

    /// <summary>The file (or source name) the error is in; empty when the error has no position.</summary>
    public string SourceName { get; }

    /// <summary>1-based line of the error; 0 when the error has no position.</summary>
    public int Line { get; }

    /// <summary>1-based column of the error; 0 when the error has no position.</summary>
    public int Column { get; }

    /// <summary>The message without the <c>source:line:column:</c> prefix.</summary>
    public string Reason { get; }
}
