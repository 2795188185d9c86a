using Archiver.App.Hosting;
using Archiver.Customers;
using Archiver.Items;

namespace Archiver.App.Api;

/// <summary>
/// Checks an <see cref="ItemRequest"/> before anything is stored: every field present and well formed, a
/// <c>file:</c> source under a configured content root, an <c>http(s):</c> source on an allowed host.
/// </summary>
internal sealed class ItemValidation(ContentOptions content)
{
    private const int MaxExternalIdLength = 255;

    private readonly string[] _roots = content.EffectiveRoots.Select(r => Path.GetFullPath(r).TrimEnd('/') + "/").ToArray();

    /// <summary>The item to store, or the problems with the request keyed by field.</summary>
    public (NewItem? Item, Dictionary<string, string[]> Errors) Validate(ItemRequest request, string? customerOverride = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var customer = customerOverride ?? request.Customer;
        if (string.IsNullOrWhiteSpace(customer))
        {
            errors["customer"] = ["is required."];
        }
        else if (!CustomerId.IsValid(customer))
        {
            errors["customer"] = [$"'{customer}' is not a valid customer id."];
        }

        if (string.IsNullOrWhiteSpace(request.ExternalId))
        {
            errors["externalId"] = ["is required."];
        }
        else if (request.ExternalId.Length > MaxExternalIdLength)
        {
            errors["externalId"] = [$"is longer than {MaxExternalIdLength} characters."];
        }

        if (request.Kind is null)
        {
            errors["kind"] = [$"is required: one of {string.Join(", ", Enum.GetNames<ItemKind>())}."];
        }

        if (request.OccurredAt is null)
        {
            errors["occurredAt"] = ["is required (ISO 8601, e.g. 2026-11-24T10:00:00Z)."];
        }

        if (request.Size is < 0)
        {
            errors["size"] = ["must not be negative."];
        }

        var source = SourceOf(request.Source, out var sourceProblem);
        if (sourceProblem is not null)
        {
            errors["source"] = [sourceProblem];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new NewItem(new CustomerId(customer!), request.ExternalId!, request.Kind!.Value, source!,
            new ItemMetadata(request.OccurredAt!.Value, Blank(request.From), Blank(request.To)), request.Size), errors);
    }

    private Uri? SourceOf(string? value, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            problem = "is required: a file path under a content root, or an http(s) URL on an allowed host.";
            return null;
        }

        Uri? uri;
        if (value.StartsWith('/'))
        {
            uri = new Uri(Path.GetFullPath(value));
        }
        else if (!Uri.TryCreate(value, UriKind.Absolute, out uri))
        {
            problem = $"'{value}' is neither an absolute path nor a URL.";
            return null;
        }

        if (uri.IsFile)
        {
            var path = Path.GetFullPath(uri.LocalPath);
            if (!_roots.Any(root => path.StartsWith(root, StringComparison.Ordinal)))
            {
                problem = $"{path} is outside the content roots ({string.Join(", ", _roots.Select(r => r.TrimEnd('/')))}); see archiver.content.roots.";
                return null;
            }

            return new Uri(path);
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            problem = $"scheme '{uri.Scheme}' is not supported: use a file path or an http(s) URL.";
            return null;
        }

        if (!content.AllowedHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
        {
            problem = $"host '{uri.Host}' is not in archiver.content.allowed-hosts.";
            return null;
        }

        return uri;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
