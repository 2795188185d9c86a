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

    private volatile BatchCommitHold? _batchHold;
    private volatile WriteContentionShape _contentionShape = WriteContentionShape.Conflict409;

    /// <summary>The hold batch commits wait on, when one is set.</summary>
    public BatchCommitHold? BatchHold => _batchHold;

    public void ContendNextWrites(int count, WriteContentionShape shape)
    {
        _contentionShape = shape;
        Volatile.Write(ref _contendedWritesLeft, count);
    }

    public BatchCommitHold HoldBatchCommits()
    {
        var hold = new BatchCommitHold(released => Interlocked.CompareExchange(ref _batchHold, null, released));
        _batchHold = hold;
        return hold;
    }

    /// <summary>True, with the status to answer, when this call is one of those meant to fail.</summary>
    public bool TryTakeServerError(out int statusCode)
    {
        statusCode = Volatile.Read(ref _serverErrorStatus);
        return TryTakeOne(ref _serverErrorsLeft);
    }

    /// <summary>True, with the shape to answer in, when this commit is one of those meant to meet contention.</summary>
    public bool TryTakeContendedWrite(out WriteContentionShape shape)
    {
        shape = _contentionShape;
        return TryTakeOne(ref _contendedWritesLeft);
    }

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
