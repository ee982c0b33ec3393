using System.Net;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Hosting;

/// <summary>The hosting layer's log messages (event ids 100–199).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(100, LogLevel.Information, "Listening on {EndPoint} (mode {Mode}, accepting up to {ConnectionLimit} clients)")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint, ConnectionMode mode, int connectionLimit);

    [LoggerMessage(101, LogLevel.Information,
        "Connection ceiling: threads mode {ThreadsModeLimit} clients ({ThreadsPerClient} threads each, a reader and a writer; " +
        "{ThreadLimit} threads from vm.max_map_count {MaxMapCount} with {MappingsInUse} mappings in use, {MappingsPerThread} per thread, " +
        "{MappingHeadroom} kept free), descriptors {DescriptorLimit} (open-file limit {OpenFileLimit}, {DescriptorsInUse} in use); " +
        "MaxClients {MaxClients}")]
    public static partial void Ceiling(ILogger logger, int threadsModeLimit, int threadsPerClient, int threadLimit, long maxMapCount,
        long mappingsInUse, int mappingsPerThread, int mappingHeadroom, int descriptorLimit, long openFileLimit, long descriptorsInUse,
        int maxClients);

    [LoggerMessage(102, LogLevel.Critical, "Cannot listen on {Bind}:{Port}: {Reason}")]
    public static partial void ListenFailed(ILogger logger, string bind, int port, string reason);

    [LoggerMessage(103, LogLevel.Information, "Shutting down: stopped accepting; closing {Open} connections (waiting up to {Timeout})")]
    public static partial void ShutdownStarted(ILogger logger, int open, TimeSpan timeout);

    [LoggerMessage(104, LogLevel.Warning, "Shutdown timeout: aborting {Open} connections that did not close in time")]
    public static partial void ShutdownAborting(ILogger logger, int open);

    [LoggerMessage(105, LogLevel.Information, "Shutdown complete in {ElapsedMs:F0} ms")]
    public static partial void ShutdownComplete(ILogger logger, double elapsedMs);

    [LoggerMessage(107, LogLevel.Information, "{Reserved} descriptors reserved for the metrics endpoint; this mode's ceiling is {Ceiling} clients")]
    public static partial void DescriptorsReserved(ILogger logger, int reserved, int ceiling);

    // Information, not Warning: the default MaxClients (100,000) is meant to be above every ceiling.
    [LoggerMessage(106, LogLevel.Information, "MaxClients {MaxClients} is above this mode's ceiling {Ceiling}: the ceiling applies")]
    public static partial void MaxClientsAboveCeiling(ILogger logger, int maxClients, int ceiling);

    [LoggerMessage(108, LogLevel.Information, "TLS on {EndPoint} (at most {MaxHandshakes} handshakes at once, each within {HandshakeTimeoutSeconds} s)")]
    public static partial void ListeningTls(ILogger logger, IPEndPoint endPoint, int maxHandshakes, double handshakeTimeoutSeconds);

    [LoggerMessage(109, LogLevel.Information, "TLS certificate {Subject} ({Source}), valid until {NotAfter:u}")]
    public static partial void TlsCertificate(ILogger logger, string subject, string source, DateTime notAfter);
}
