namespace Archiver.Api;

/// <summary>
/// What <see cref="ItemRequestReader"/> made of one JSON item: the request (its unreadable fields left null), the
/// problem with each unreadable field, or — when it is no JSON object at all — one problem for the whole of it.
/// </summary>
internal sealed record ItemRequestReading(ItemRequest? Request, Dictionary<string, string[]> FieldErrors, string? Problem)
{
    public static ItemRequestReading Refused(string problem) => new(null, new Dictionary<string, string[]>(StringComparer.Ordinal), problem);
}
