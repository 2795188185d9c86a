namespace Archiver.Dropbox.Emulator.Accounts;

/// <summary>Failures an account was told to produce, for exercising a client's error handling.</summary>
internal sealed class FaultPlan
{
    private int _tokenExpired;
    private int _serverErrorsLeft;
    private int _serverErrorStatus = 503;
    private int _contendedWritesLeft;
    private int _droppedAppendResponsesLeft;

    public bool TokenExpired => Volatile.Read(ref _tokenExpired) != 0;

    public void ExpireToken() => Volatile.Write(ref _tokenExpired, 1);

    public void FailNextRequests(int count, int statusCode)
    {
        Volatile.Write(ref _serverErrorStatus, statusCode);
        Volatile.Write(ref _serverErrorsLeft, count);
    }

    public void ContendNextWrites(int count) => Volatile.Write(ref _contendedWritesLeft, count);

    /// <summary>True, with the status to answer, when this call is one of those meant to fail.</summary>
    public bool TryTakeServerError(out int statusCode)
    {
        statusCode = Volatile.Read(ref _serverErrorStatus);
        return TryTakeOne(ref _serverErrorsLeft);
    }

    public bool TryTakeContendedWrite() => TryTakeOne(ref _contendedWritesLeft);

    public void DropNextAppendResponses(int count) => Volatile.Write(ref _droppedAppendResponsesLeft, count);

    public bool TryTakeDroppedAppendResponse() => TryTakeOne(ref _droppedAppendResponsesLeft);

    private static bool TryTakeOne(ref int remaining)
    {
        while (true)
        {
            var current = Volatile.Read(ref remaining);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref remaining, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
