using System.Text.Json.Serialization;

namespace Archiver.Dropbox.Models;

/// <summary>
/// An entry in Dropbox: a <see cref="FileMetadata"/>, <see cref="FolderMetadata"/> or <see cref="DeletedMetadata"/>,
/// told apart by <c>.tag</c>. An entry of a kind this client does not know stays a plain <see cref="Metadata"/>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = ".tag", IgnoreUnrecognizedTypeDiscriminators = true)]
[JsonDerivedType(typeof(FileMetadata), "file")]
[JsonDerivedType(typeof(FolderMetadata), "folder")]
[JsonDerivedType(typeof(DeletedMetadata), "deleted")]
public record Metadata(string Name, string? PathLower, string? PathDisplay);
