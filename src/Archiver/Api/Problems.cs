namespace Archiver.Api;

/// <summary>The API's recurring RFC 7807 answers.</summary>
internal static class Problems
{
    public static IResult UnknownCustomer(string id) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Unknown customer", detail: $"No customer '{id}'.");

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Invalid(IDictionary<string, string[]> errors) => Results.ValidationProblem(errors);

    public static IResult BodyTooLarge() => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"The request body is larger than the API takes ({RequestBodyLimit.Describe} at most). Send it in parts; `archiver import` splits its batches by bytes (--batch-bytes).");
}
