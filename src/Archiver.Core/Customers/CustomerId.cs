using System.Text.RegularExpressions;

namespace Archiver.Core.Customers;

/// <summary>
/// A customer's stable identifier: a short slug chosen by the operator (<c>acme</c>, <c>globex-eu</c>).
/// It names the customer in the CLI, in configuration overrides (<c>archiver.customers.&lt;id&gt;</c>) and in logs.
/// </summary>
public readonly partial record struct CustomerId
{
    public CustomerId(string value)
    {
        if (!IsValid(value))
        {
            throw new ArgumentException(
                $"'{value}' is not a valid customer id: use 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit.",
                nameof(value));
        }

        Value = value;
    }

    public string Value { get; }

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    public override string ToString() => Value;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex Pattern();
}
