using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// The few Linux calls of the async model's own readiness (<see cref="EpollReadiness"/>, <see cref="SocketReadiness"/>):
/// epoll, and non-blocking recv / sendmsg on a socket's descriptor. Blittable signatures only, so LibraryImport
/// generates no marshalling code; errno comes back through <see cref="Marshal.GetLastPInvokeError"/>.
/// </summary>
internal static unsafe partial class EpollInterop
{
    private const string Libc = "libc";

    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLET = 1u << 31;

    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CLOEXEC = 0x80000;

    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_NOSIGNAL = 0x4000;

    public const int EINTR = 4;
    public const int EAGAIN = 11; // = EWOULDBLOCK on Linux

    /// <summary>
    /// struct epoll_event is packed on x86-64 (12 bytes: events at 0, data at 4) and naturally aligned elsewhere
    /// (16 bytes: data at 8); the engine reads its wait buffer with these.
    /// </summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static readonly int EventDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    // ev: a struct epoll_event (EventSize bytes); null for EPOLL_CTL_DEL.
    [LibraryImport(Libc, SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint sendmsg(int fd, MessageHeader* message, int flags);

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr (64-bit Linux layout: natural alignment).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>
    /// The errno of a failed recv/sendmsg as the <see cref="SocketError"/> .NET's own socket calls report for it, so
    /// a connection ends with the same reason ("Connection reset by peer", "Write error: ConnectionReset") whichever
    /// engine ran it.
    /// </summary>
    public static SocketError ToSocketError(int errno) => errno switch
    {
        104 => SocketError.ConnectionReset,       // ECONNRESET
        32 => SocketError.Shutdown,               // EPIPE
        110 => SocketError.TimedOut,              // ETIMEDOUT
        107 => SocketError.NotConnected,          // ENOTCONN
        103 => SocketError.ConnectionAborted,     // ECONNABORTED
        113 => SocketError.HostUnreachable,       // EHOSTUNREACH
        101 => SocketError.NetworkUnreachable,    // ENETUNREACH
        100 => SocketError.NetworkDown,           // ENETDOWN
        105 or 12 => SocketError.NoBufferSpaceAvailable, // ENOBUFS, ENOMEM
        9 => SocketError.OperationAborted,        // EBADF
        _ => SocketError.SocketError,
    };
}
