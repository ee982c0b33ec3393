namespace ChatLoad.LoadEngine.Config;

/// <summary>A bad command line or config file: reported as one line, exit code 2, before anything starts.</summary>
internal sealed class UsageException(string message) : Exception(message);
