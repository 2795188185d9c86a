namespace Archiver.Api;

/// <summary>One journal entry.</summary>
internal sealed record EventView(long Sequence, DateTimeOffset At, string? Customer, long? ItemId, string Type, string Details);

/// <summary>A page of the journal; pass <paramref name="Next"/> as <c>after</c> for the following page.</summary>
internal sealed record EventPageView(IReadOnlyList<EventView> Events, long Next);
