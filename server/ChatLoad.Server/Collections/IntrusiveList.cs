using System.Buffers;

namespace ChatLoad.Server.Collections;

/// <summary>
/// A set of live objects that carry their own links (<see cref="IMember.Links"/>): joining costs two references
/// inside the member, not a node and a bucket share of a dictionary (about 60 bytes per idle client for each of
/// the two tables that use it: the chat core's sessions and a listener's connections). Only what those tables
/// need: add, remove, count, and a moment's snapshot to walk outside the lock. One lock: adds and removes happen
/// once per connection, and the walk (the idle sweep, shutdown) copies under it and visits outside it.
/// </summary>
internal sealed class IntrusiveList<T> where T : class, IntrusiveList<T>.IMember
{
    private readonly Lock _gate = new();
    private T? _head;
    private int _count;

    /// <summary>What a member of an <see cref="IntrusiveList{T}"/> carries: a field of this type, returned by reference.</summary>
    public interface IMember
    {
        ref Links Links { get; }
    }

    /// <summary>A member's two links; default (unlinked) until added, default again once removed.</summary>
    public struct Links
    {
        internal T? Previous;
        internal T? Next;
    }

    public int Count => Volatile.Read(ref _count);

    public bool IsEmpty => Count == 0;

    /// <summary>Adds <paramref name="member"/> at the front; false when it is already in this list.</summary>
    public bool Add(T member)
    {
        lock (_gate)
        {
            if (IsLinkedLocked(member))
                return false;
            ref Links links = ref member.Links;
            links.Next = _head;
            if (_head is not null)
                _head.Links.Previous = member;
            _head = member;
            Volatile.Write(ref _count, _count + 1);
            return true;
        }
    }

    /// <summary>Removes <paramref name="member"/>; false when it was not in this list (removed already).</summary>
    public bool Remove(T member)
    {
        lock (_gate)
        {
            if (!IsLinkedLocked(member))
                return false;
            ref Links links = ref member.Links;
            if (links.Previous is null)
                _head = links.Next;
            else
                links.Previous.Links.Next = links.Next;
            if (links.Next is not null)
                links.Next.Links.Previous = links.Previous;
            links = default;
            Volatile.Write(ref _count, _count - 1);
            return true;
        }
    }

    // A member is linked when something points at it: its predecessor, or the head.
    private bool IsLinkedLocked(T member) => member.Links.Previous is not null || ReferenceEquals(_head, member);

    /// <summary>
    /// The members at this moment, in a pooled array returned when the snapshot is disposed: walk it outside the
    /// lock (members may leave meanwhile; ones added meanwhile are not in it).
    /// </summary>
    public Snapshot TakeSnapshot()
    {
        lock (_gate)
        {
            T[] members = ArrayPool<T>.Shared.Rent(Math.Max(1, _count));
            int n = 0;
            for (T? member = _head; member is not null; member = member.Links.Next)
                members[n++] = member;
            return new Snapshot(members, n);
        }
    }

    /// <summary>See <see cref="TakeSnapshot"/>.</summary>
    public readonly struct Snapshot(T[] members, int count) : IDisposable
    {
        public ReadOnlySpan<T> Members => members.AsSpan(0, count);

        public void Dispose()
        {
            Array.Clear(members, 0, count);
            ArrayPool<T>.Shared.Return(members);
        }
    }
}
