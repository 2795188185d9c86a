using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>One Dropbox route, called once the caller's token was accepted and the account's rate limit allowed it.</summary>
internal interface IApiEndpoint
{
    /// <summary>The name Dropbox uses in its error texts, e.g. <c>files/upload</c>.</summary>
    string Function { get; }

    Task HandleAsync(HttpContext context, EmulatorAccount account);
}
