using System.Globalization;
using ChatLoad.LoadEngine.Cluster.Protocol;

namespace ChatLoad.LoadEngine.Cluster.Agent;

/// <summary>What this machine lets one agent process hold: cores, open files, and the ports its source addresses give.</summary>
internal static class AgentCapacityProbe
{
    /// <summary>Descriptors kept back from the open-file limit for what is not a client: the runtime, the NATS
    /// connection, log files, a metrics scrape. Default 256, generous for all of them together.</summary>
    public const int ReservedDescriptors = 256;

    /// <summary>Connections per source address to one server. Default 25,000: Linux gives each (source, destination)
    /// pair its own ephemeral port range (32768-60999, about 28k), less room for ports still in TIME_WAIT.</summary>
    public const int ClientsPerSourceAddress = 25_000;

    /// <summary>Used when the limit cannot be read (not Linux): a common default soft limit, so plans stay modest.</summary>
    private const int UnknownDescriptorLimit = 1024;

    public static AgentCapacityReport Measure(IReadOnlyList<string> sourceAddresses)
    {
        int limit = OpenFileLimit();
        int byDescriptors = Math.Max(0, (limit > 0 ? limit : UnknownDescriptorLimit) - ReservedDescriptors);
        long byPorts = (long)ClientsPerSourceAddress * Math.Max(1, sourceAddresses.Count);
        return new AgentCapacityReport(Environment.ProcessorCount, limit, (int)Math.Min(byDescriptors, byPorts), sourceAddresses);
    }

    /// <summary>The soft "Max open files" of this process (/proc/self/limits), 0 when unknown.</summary>
    public static int OpenFileLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 0 && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int soft) ? soft : 0;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return 0;
    }
}
