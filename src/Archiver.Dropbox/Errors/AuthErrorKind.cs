namespace Archiver.Dropbox.Errors;

/// <summary>Dropbox's <c>AuthError</c> tags (401).</summary>
public enum AuthErrorKind
{
    /// <summary>A tag this client does not know.</summary>
    Other,

    /// <summary>The token is revoked, malformed or unknown: the user must authorize again.</summary>
    InvalidAccessToken,

    /// <summary>A short-lived token ran out: a refresh may cure it.</summary>
    ExpiredAccessToken,

    /// <summary>The Dropbox app's key or secret was refused (<c>invalid_client</c>): the configuration is wrong, not the customer's token.</summary>
    InvalidApp,

    /// <summary>The app was not granted a scope this call needs.</summary>
    MissingScope,

    UserSuspended,

    InvalidSelectUser,

    InvalidSelectAdmin,

    RouteAccessDenied,
}
