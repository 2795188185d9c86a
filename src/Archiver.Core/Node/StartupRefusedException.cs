namespace Archiver.Core.Node;

/// <summary>
/// Something the node needs before it can start — the token key, its database file, its identity in the data
/// directory — cannot be used. The message is one line naming the setting or file and the problem; nothing has run.
/// </summary>
public sealed class StartupRefusedException(string message, Exception? innerException = null) : Exception(message, innerException);
