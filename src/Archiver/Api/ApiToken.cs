using System.Text;

namespace Archiver.Api;

/// <summary>The node's API bearer token, resolved once at start.</summary>
internal sealed class ApiToken(string value)
{
    public byte[] Bytes { get; } = Encoding.UTF8.GetBytes(value);

    public string Reveal { get; } = value;

    public override string ToString() => "***";
}
