using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Archiver.Commands;

/// <summary>Runs a command against a running node's API: one clear line and exit code 1 when the API refuses or cannot be reached.</summary>
internal static class ApiCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void SetApiAction(this Command command, Func<ParseResult, AdminClient, CancellationToken, Task<int>> action) =>
        command.SetAction(async (result, ct) =>
        {
            try
            {
                using var client = AdminClient.For(result);
                return await action(result, client, ct);
            }
            catch (ApiProblemException ex)
            {
                Console.Error.WriteLine($"archiver: {ex.Message}");
                return 1;
            }
        });

    /// <summary>Prints the answer as indented JSON when <c>--json</c> was given; returns whether it did.</summary>
    public static bool PrintedJson(ParseResult result, JsonElement answer)
    {
        if (!result.GetValue(ApiConnectionOptions.Json))
        {
            return false;
        }

        Console.Out.WriteLine(answer.ValueKind == JsonValueKind.Undefined ? "null" : JsonSerializer.Serialize(answer, Indented));
        return true;
    }

    public static string Text(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            JsonValueKind.String => value.GetString() ?? "",
            _ => value.ToString(),
        } : "";

    public static long Long(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    public static double? Double(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public static string Escaped(this JsonElement element, string property) => Markup.Escape(element.Text(property));
}
