using Archiver.Dropbox.Emulator.Accounts;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// Every API call passes here first: a well-formed <c>Authorization: Bearer</c> header, a known token, no injected
/// fault, and a token from the account's bucket.
/// </summary>
internal sealed class AccountGate(AccountRegistry accounts)
{
    private const string BearerPrefix = "Bearer ";

    public Admission Admit(string authorization)
    {
        if (authorization.Length == 0)
        {
            return new(AdmissionResult.MissingAuthorization);
        }

        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return new(AdmissionResult.MalformedAuthorization);
        }

        var token = authorization.AsSpan(BearerPrefix.Length).Trim();
        if (token.IsEmpty || token.ContainsAny(' ', '\t'))
        {
            return new(AdmissionResult.MalformedAuthorization);
        }

        if (!accounts.TryFindByToken(token, out var account))
        {
            return new(AdmissionResult.UnknownToken);
        }

        account.Counters.Request();
        switch (account.Check(token))
        {
            case TokenCheck.Invalid:
                return new(AdmissionResult.UnknownToken, account);
            case TokenCheck.Expired:
                return new(AdmissionResult.ExpiredToken, account);
        }

        if (!account.Bucket.TryTake(out var retryAfter))
        {
            account.Counters.RateLimited();
            return new(AdmissionResult.RateLimited, account, retryAfter);
        }

        if (account.Faults.TryTakeServerError(out var status))
        {
            account.Counters.ServerErrorInjected();
            return new(AdmissionResult.InjectedServerError, account, FaultStatus: status);
        }

        return new(AdmissionResult.Admitted, account);
    }
}
