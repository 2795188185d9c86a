namespace Archiver.Core.Customers;

/// <summary>
/// A credential held in memory. Its <see cref="ToString"/> never reveals the value, so it cannot leak
/// through a log line or a record's generated <c>ToString</c>.
/// </summary>
public readonly record struct Secret(string Reveal)
{
    public override string ToString() => "***";
}
