namespace Archiver.Dropbox.Auth;

/// <summary>The fields of an <c>oauth2/token</c> answer this client reads.</summary>
internal sealed record TokenResponse(string? AccessToken, string? TokenType, long? ExpiresIn);

/// <summary>An OAuth 2 error answer: <c>{"error": "invalid_grant", "error_description": …}</c>.</summary>
internal sealed record OAuthErrorResponse(string? Error, string? ErrorDescription);
