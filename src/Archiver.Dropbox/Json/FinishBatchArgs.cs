namespace Archiver.Dropbox.Json;

/// <summary><c>UploadSessionFinishBatchArg</c> of <c>finish_batch_v2</c>: at most 1,000 entries.</summary>
internal sealed record UploadSessionFinishBatchArg(IReadOnlyList<UploadSessionFinishArg> Entries);
