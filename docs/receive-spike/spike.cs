// Spike (README, "Where the idle bytes went"): RSS per idle accepted socket with a .NET zero-byte ReceiveAsync pending
// (dotnet), with readiness from an epoll set of our own instead (epoll), and the same with a synchronous send so the
// socket never gets .NET's async context (epoll-nosend). Not part of the server: it measures what a receive path of
// our own would save before anyone builds one.
//   taskset -c 0 dotnet run docs/receive-spike/spike.cs -c Release -- epoll 7790 19000 &   # then, once it prints "empty":
//   taskset -c 1 python3 docs/receive-spike/client.py 7790 19000 12
// It prints RSS and the live heap empty and after the sockets are held; (held - empty) / count is the figure.
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

string mode = args[0]; int port = int.Parse(args[1]); int count = int.Parse(args[2]);
var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
listener.Listen(4096);
var sockets = new Socket[count];
int epfd = mode.StartsWith("epoll") ? Native.epoll_create1(0) : -1;
byte[] hello = "hello\r\n"u8.ToArray();
GC.Collect(2, GCCollectionMode.Aggressive, true, true);
Console.WriteLine($"empty rss_kb={Rss()} heap={GC.GetTotalMemory(false)} committed={GC.GetGCMemoryInfo().TotalCommittedBytes}");
for (int i = 0; i < count; i++)
{
    Socket s = await listener.AcceptAsync();
    s.NoDelay = true;
    sockets[i] = s;
    if (mode != "epoll-nosend")
        await s.SendAsync(hello, SocketFlags.None); // as the server's welcome: an async send on every socket
    else
        s.Send(hello);
    if (mode == "dotnet")
        _ = HoldAsync(s);
    else
    {
        var ev = new Native.epoll_event { events = Native.EPOLLIN | Native.EPOLLRDHUP | Native.EPOLLONESHOT, data = (ulong)i };
        if (Native.epoll_ctl(epfd, 1 /*ADD*/, (int)s.SafeHandle.DangerousGetHandle(), ref ev) != 0)
            throw new Exception("epoll_ctl " + Marshal.GetLastPInvokeError());
    }
}
// Our readiness: one thread waiting on the set (a real receive path would dispatch the ready sockets here).
if (mode.StartsWith("epoll"))
    new Thread(() => { var evs = new Native.epoll_event[64]; while (true) Native.epoll_wait(epfd, evs, 64, -1); }) { IsBackground = true }.Start();
await Task.Delay(2000);
GC.Collect(2, GCCollectionMode.Aggressive, true, true);
await Task.Delay(1000);
Console.WriteLine($"held {count} rss_kb={Rss()} heap={GC.GetTotalMemory(false)} committed={GC.GetGCMemoryInfo().TotalCommittedBytes}");
await Task.Delay(TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("HOLD_S") ?? "3")));
GC.KeepAlive(sockets);

static async Task HoldAsync(Socket s)
{
    while (true)
    {
        int n = await s.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
        var buf = new byte[512];
        if (await s.ReceiveAsync(buf, SocketFlags.None) == 0) return;
    }
}
static long Rss() => long.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("VmRSS")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

static class Native
{
    public const uint EPOLLIN = 1, EPOLLRDHUP = 0x2000, EPOLLONESHOT = 1u << 30;
    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    public struct epoll_event { public uint events; public ulong data; }
    [DllImport("libc", SetLastError = true)] public static extern int epoll_create1(int flags);
    [DllImport("libc", SetLastError = true)] public static extern int epoll_ctl(int epfd, int op, int fd, ref epoll_event ev);
    [DllImport("libc", SetLastError = true)] public static extern int epoll_wait(int epfd, [Out] epoll_event[] events, int max, int timeout);
}
