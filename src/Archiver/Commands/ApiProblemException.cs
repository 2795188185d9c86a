namespace Archiver.Commands;

/// <summary>The admin API refused a request, or could not be reached; the message is one line for the operator.</summary>
internal sealed class ApiProblemException(string message, Exception? inner = null) : Exception(message, inner);
