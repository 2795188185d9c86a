namespace Archiver.Api;

/// <summary>A request body went on past <see cref="RequestBodyLimit.MaxBytes"/>; answered 413.</summary>
internal sealed class RequestBodyTooLargeException()
    : Exception($"The request body is larger than the API takes ({RequestBodyLimit.Describe} at most).");
