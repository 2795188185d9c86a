namespace Archiver.Api;

/// <summary>How many failed items went back to pending.</summary>
internal sealed record RetriedView(string Customer, int Retried);
