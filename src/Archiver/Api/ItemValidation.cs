using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Hosting;

namespace Archiver.Api;

/// <summary>
/// Checks an <see cref="ItemRequest"/> before anything is stored: every field present and well formed, a
/// <c>file:</c> source under a configured content root, an <c>http(s):</c> source on an allowed host, and no field
/// longer than it may be.
/// </summary>
internal sealed class ItemValidation(ContentOptions content)
{
    /// <summary>The longest customer id (<see cref="CustomerId"/>).</summary>
    public const int MaxCustomerLength = 64;

    /// <summary>The longest external id.</summary>
    public const int MaxExternalIdLength = 255;

    /// <summary>The longest <c>from</c> or <c>to</c>: a phone number, a SIP URI or an e-mail address.</summary>
    public const int MaxPartyLength = 256;

    /// <summary>The longest source: a path as long as Linux allows (PATH_MAX), or a URL.</summary>
    public const int MaxSourceLength = 4096;

    private readonly string[] _roots = content.EffectiveRoots.Select(r => Path.GetFullPath(r).TrimEnd('/') + "/").ToArray();

    /// <summary>What <see cref="ItemRequestReader"/> read, checked: the item to store, or the problems keyed by field.</summary>
    public (NewItem? Item, Dictionary<string, string[]> Errors) Validate(ItemRequestReading reading, string? customerOverride = null)
    {
        var (item, errors) = Validate(reading.Request!, customerOverride);
        foreach (var (field, problems) in reading.FieldErrors)
        {
            errors[field] = problems; // a field that could not be read says why, not merely that it is missing
        }

        return errors.Count > 0 ? (null, errors) : (item, errors);
    }

    /// <summary>The item to store, or the problems with the request keyed by field.</summary>
    public (NewItem? Item, Dictionary<string, string[]> Errors) Validate(ItemRequest request, string? customerOverride = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var customer = customerOverride ?? request.Customer;
        if (string.IsNullOrWhiteSpace(customer))
        {
            errors["customer"] = ["is required."];
        }
        else if (customer.Length > MaxCustomerLength)
        {
            errors["customer"] = [TooLong(MaxCustomerLength, customer)];
        }
        else if (!CustomerId.IsValid(customer))
        {
            errors["customer"] = [$"{ItemRequestReader.Quoted(customer)} is not a valid customer id (lowercase letters, digits, '-' and '_')."];
        }

        if (string.IsNullOrWhiteSpace(request.ExternalId))
        {
            errors["externalId"] = ["is required."];
        }
        else if (request.ExternalId.Length > MaxExternalIdLength)
        {
            errors["externalId"] = [TooLong(MaxExternalIdLength, request.ExternalId)];
        }

        if (request.From?.Length > MaxPartyLength)
        {
            errors["from"] = [TooLong(MaxPartyLength, request.From)];
        }

        if (request.To?.Length > MaxPartyLength)
        {
            errors["to"] = [TooLong(MaxPartyLength, request.To)];
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

        if (value.Length > MaxSourceLength)
        {
            problem = TooLong(MaxSourceLength, value);
            return null;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            problem = "holds a NUL character, which no path or URL may.";
            return null;
        }

        Uri? uri;
        if (value.StartsWith('/'))
        {
            if (!Uri.TryCreate(Path.GetFullPath(value), UriKind.Absolute, out uri))
            {
                problem = $"{ItemRequestReader.Quoted(value)} is not a usable file path.";
                return null;
            }
        }
        else if (!Uri.TryCreate(value, UriKind.Absolute, out uri))
        {
            problem = $"{ItemRequestReader.Quoted(value)} is neither an absolute path nor a URL.";
            return null;
        }

        if (uri.IsFile)
        {
            if (uri.LocalPath.Contains('\0', StringComparison.Ordinal))
            {
                problem = "holds a NUL character, which no path or URL may.";
                return null;
            }

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

    private static string TooLong(int limit, string value) => $"is longer than {limit} characters ({value.Length} given).";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
