using System.Collections.Concurrent;
using System.Text;
using ChatLoad.LoadClient;

namespace ChatLoad.LoadClient.Tests.Support;

internal sealed class RecordingObserver : IClientObserver
{
    public ConcurrentQueue<string> Messages { get; } = new();
    public ConcurrentQueue<long> Pongs { get; } = new();
    public ConcurrentQueue<string> Closed { get; } = new();

    public void OnChatMessage(IrcLoadClient receiver, ReadOnlySpan<byte> text) => Messages.Enqueue(Encoding.UTF8.GetString(text));
    public void OnPong(IrcLoadClient receiver, long sequence) => Pongs.Enqueue(sequence);
    public void OnClosed(IrcLoadClient client, string reason) => Closed.Enqueue(reason);

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; false if it never did.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(10);
        }
        return true;
    }
}
