using System.ComponentModel.DataAnnotations;

namespace Archiver.Hosting;

/// <summary>
/// A URI setting must be an absolute http(s) address. The binder takes any text as a relative URI, so without this an
/// environment variable such as <c>ARCHIVER__DROPBOX__APIBASEURI=not-a-uri</c> would start a node that fails every call.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class AbsoluteHttpUriAttribute() : ValidationAttribute("must be an absolute http:// or https:// address")
{
    public override bool IsValid(object? value) =>
        value is null || (value is Uri { IsAbsoluteUri: true } uri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));
}
