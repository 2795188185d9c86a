using System.ComponentModel.DataAnnotations;

namespace Archiver.Hosting;

/// <summary>
/// The Dropbox app whose refresh tokens customers were connected with (configuration section <c>archiver:dropbox</c>,
/// beside <see cref="DropboxOptions"/>). Without an app key, customers' refresh tokens are not used.
/// </summary>
public sealed class DropboxAppOptions : IValidatableObject
{
    public const string Section = DropboxOptions.Section;

    /// <summary>The app key (OAuth <c>client_id</c>). <value>Unset by default: refresh tokens are not used.</value></summary>
    public string? AppKey { get; set; }

    /// <summary>The app secret (OAuth <c>client_secret</c>); unset for a PKCE app. Never printed.</summary>
    public string? AppSecret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(AppKey) && !string.IsNullOrEmpty(AppSecret))
        {
            yield return new ValidationResult("An app secret needs its app key.", [nameof(AppKey)]);
        }
    }

    /// <summary>Names the app without its secret.</summary>
    public override string ToString() =>
        $"Dropbox app {AppKey ?? "(none)"}, secret {(string.IsNullOrEmpty(AppSecret) ? "unset" : "set")}";
}
