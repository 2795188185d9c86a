using System.Text.Json;

namespace Archiver.Api;

/// <summary>Reads a request's JSON body, turning a malformed or missing one into a 400 problem that says what is wrong.</summary>
internal static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, ApiJson.Options, cancellationToken);
            return value is null
                ? (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing body", detail: "The request needs a JSON object body."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Malformed(ex));
        }
    }

    public static IResult Malformed(JsonException ex) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Malformed JSON",
        detail: ex.Message);
}
