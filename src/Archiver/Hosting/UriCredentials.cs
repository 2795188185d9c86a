using System.Text.RegularExpressions;

namespace Archiver.Hosting;

/// <summary>
/// Hides the user name and password a URI may carry (<c>http://user:pass@host/</c> → <c>http://***@host/</c>) wherever
/// a URI is shown or logged: they are credentials like any token.
/// </summary>
internal static partial class UriCredentials
{
    public const string Masked = "***";

    /// <summary>The URI as text, its user information masked.</summary>
    public static string Mask(Uri uri) => Mask(uri.ToString());

    /// <summary><paramref name="text"/> with the user information of every URI in it masked.</summary>
    public static string Mask(string text) => UserInfo().Replace(text, $"${{scheme}}{Masked}@");

    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.\-]*://)[^/?#@\s]+@")]
    private static partial Regex UserInfo();
}
