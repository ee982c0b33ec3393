using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ChatLoad.Server.Hosting;

/// <summary>
/// Binds and validates <see cref="ServerOptions"/> before the host starts, so a bad value becomes one clear line
/// instead of a binder exception with a stack trace.
/// </summary>
public static class ServerOptionsLoader
{
    /// <summary>Returns the options, or null and a one-line <paramref name="error"/>.</summary>
    public static ServerOptions? TryLoad(IConfiguration configuration, out string? error)
    {
        IConfigurationSection section = configuration.GetSection(ServerOptions.SectionName);
        string? mode = section[nameof(ServerOptions.Mode)];
        bool validMode = Enum.TryParse<ConnectionMode>(mode, ignoreCase: true, out _) && !int.TryParse(mode, out _); // "7" parses as an enum value
        if (!string.IsNullOrEmpty(mode) && !validMode)
        {
            error = $"--mode must be threads or async (got '{mode}')";
            return null;
        }

        ServerOptions options;
        try
        {
            options = section.Get<ServerOptions>() ?? new ServerOptions();
        }
        catch (InvalidOperationException ex)
        {
            // "Failed to convert configuration value 'abc' at 'Server:Port' to type 'System.Int32'."
            error = ex.Message;
            return null;
        }

        ValidateOptionsResult result = new ServerOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            error = string.Join("; ", result.Failures);
            return null;
        }
        error = null;
        return options;
    }
}
