using System.Security.Cryptography;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>Values for <c>X-Dropbox-Request-Id</c>: 32 hex digits, unique per emulator run.</summary>
internal static class RequestIds
{
    public const string Header = "X-Dropbox-Request-Id";

    private static readonly ulong RunPrefix = (ulong)RandomNumberGenerator.GetInt32(int.MaxValue) << 32;
    private static long _counter;

    public static string Next()
    {
        var sequence = (ulong)Interlocked.Increment(ref _counter);
        return string.Create(32, sequence, static (text, sequence) =>
        {
            RunPrefix.TryFormat(text[..16], out _, "x16");
            sequence.TryFormat(text[16..], out _, "x16");
        });
    }
}
