using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Kestrel hosted directly (no WebHost, so no signal handler of its own): own bind, connection cap, header/keep-alive
// timeouts; SIGTERM handled here: StopAsync with a token cancelled after the shutdown timeout.
int port = int.Parse(args[0]);
var shutdownTimeout = TimeSpan.FromSeconds(double.Parse(args.Length > 1 ? args[1] : "2"));
using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Information));
var options = new KestrelServerOptions();
options.Listen(IPAddress.Loopback, port);
options.Limits.MaxConcurrentConnections = 8;
options.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(5);
options.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(5);
options.Limits.MaxRequestHeadersTotalSize = 8192;
options.AddServerHeader = false;
var server = new KestrelServer(Options.Create(options), new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory), loggerFactory);
await server.StartAsync(new App(), CancellationToken.None);
Console.WriteLine("listening " + port);
var stop = new TaskCompletionSource();
using var sig = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
await stop.Task;
var sw = System.Diagnostics.Stopwatch.StartNew();
using var cts = new CancellationTokenSource(shutdownTimeout);
await server.StopAsync(cts.Token);
server.Dispose();
Console.WriteLine($"stopped in {sw.ElapsedMilliseconds} ms");
return 0;

sealed class App : IHttpApplication<IFeatureCollection>
{
    public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;
    public async Task ProcessRequestAsync(IFeatureCollection context)
    {
        var resp = context.Get<IHttpResponseFeature>()!;
        var body = context.Get<IHttpResponseBodyFeature>()!;
        resp.StatusCode = 200;
        resp.Headers.ContentType = "text/plain";
        await body.Writer.WriteAsync("metric 1\n"u8.ToArray());
    }
    public void DisposeContext(IFeatureCollection context, Exception? exception) { }
}
