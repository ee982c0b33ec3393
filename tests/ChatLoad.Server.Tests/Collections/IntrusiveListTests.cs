using ChatLoad.Server.Collections;

namespace ChatLoad.Server.Tests.Collections;

public class IntrusiveListTests
{
    private sealed class Item(int value) : IntrusiveList<Item>.IMember
    {
        private IntrusiveList<Item>.Links _links;

        public int Value { get; } = value;

        ref IntrusiveList<Item>.Links IntrusiveList<Item>.IMember.Links => ref _links;
    }

    private static int[] Values(IntrusiveList<Item> list)
    {
        using var snapshot = list.TakeSnapshot();
        return [.. snapshot.Members.ToArray().Select(i => i.Value).Order()];
    }

    [Fact]
    public void Members_are_added_once_removed_once_and_counted()
    {
        var list = new IntrusiveList<Item>();
        Item[] items = [.. Enumerable.Range(0, 5).Select(i => new Item(i))];
        foreach (Item item in items)
            Assert.True(list.Add(item));
        Assert.False(list.Add(items[2]));
        Assert.Equal(5, list.Count);

        // The head, the tail and one in the middle.
        Assert.True(list.Remove(items[4]));
        Assert.True(list.Remove(items[0]));
        Assert.True(list.Remove(items[2]));
        Assert.False(list.Remove(items[2]));
        Assert.Equal([1, 3], Values(list));
        Assert.Equal(2, list.Count);

        // A removed member can join again.
        Assert.True(list.Add(items[2]));
        Assert.Equal([1, 2, 3], Values(list));
        Assert.True(list.Remove(items[1]) && list.Remove(items[2]) && list.Remove(items[3]));
        Assert.True(list.IsEmpty);
        Assert.Empty(Values(list));
    }

    [Fact]
    public void A_member_of_one_list_is_not_a_member_of_another()
    {
        var first = new IntrusiveList<Item>();
        var second = new IntrusiveList<Item>();
        var alone = new Item(1);
        var other = new Item(2);
        Assert.True(first.Add(alone));
        Assert.True(second.Add(other));
        // The head of the second list is not linked in the first: removing it there must change nothing.
        Assert.False(first.Remove(other));
        Assert.Equal([1], Values(first));
        Assert.Equal([2], Values(second));
    }

    [Fact]
    public void Concurrent_adds_and_removes_leave_exactly_the_survivors()
    {
        var list = new IntrusiveList<Item>();
        Item[] items = [.. Enumerable.Range(0, 4000).Select(i => new Item(i))];
        Parallel.For(0, 4, worker =>
        {
            for (int i = worker; i < items.Length; i += 4)
            {
                Assert.True(list.Add(items[i]));
                if (i % 3 == 0)
                    Assert.True(list.Remove(items[i]));
            }
        });
        int[] expected = [.. items.Where(i => i.Value % 3 != 0).Select(i => i.Value)];
        Assert.Equal(expected.Length, list.Count);
        Assert.Equal(expected, Values(list));
    }
}
