namespace Archiver.Hosting;

/// <summary>How credentials are protected at rest (configuration section <c>archiver:security</c>).</summary>
public sealed class SecurityOptions
{
    public const string Section = "archiver:security";

    /// <summary>
    /// The base64 AES-256 key that encrypts Dropbox tokens in the database. When unset, a key is generated once and kept
    /// in <see cref="TokenKeyFile"/> (readable by the owner only). Set it explicitly when several nodes share a database.
    /// </summary>
    public string? TokenKey { get; set; }

    /// <summary>Where a generated key is kept. <value>The default value is <c>data/token.key</c>.</value></summary>
    public string TokenKeyFile { get; set; } = Path.Combine("data", "token.key");
}
