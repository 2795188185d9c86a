namespace Archiver.Commands;

/// <summary>A command's arguments make no sense: one line on stderr naming the argument and what it expects, exit code 2.</summary>
internal static class UsageError
{
    public const int ExitCode = 2;

    public static int Report(string message)
    {
        Console.Error.WriteLine($"archiver: {message}");
        return ExitCode;
    }
}
