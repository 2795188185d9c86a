namespace Archiver.Dropbox.Models;

/// <summary>What Dropbox does when something already exists at the upload path.</summary>
public sealed record WriteMode
{
    private WriteMode(string tag, string? rev)
    {
        Tag = tag;
        Rev = rev;
    }

    /// <summary>Never overwrite: a different file at the path is a conflict (identical content is not).</summary>
    public static WriteMode Add { get; } = new("add", null);

    /// <summary>Replace whatever file is at the path.</summary>
    public static WriteMode Overwrite { get; } = new("overwrite", null);

    /// <summary>The wire tag: <c>add</c>, <c>overwrite</c> or <c>update</c>.</summary>
    public string Tag { get; }

    /// <summary>For <see cref="Update"/>: the revision that must still be current.</summary>
    public string? Rev { get; }

    /// <summary>Overwrite only if the file is still at revision <paramref name="rev"/>.</summary>
    public static WriteMode Update(string rev) => new("update", rev);
}
