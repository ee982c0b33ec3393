using ChatLoad.Server.Chat.Users;

namespace ChatLoad.Server.Tests.Chat.Logic;

public class UserModeLettersTests
{
    [Theory]
    [InlineData((int)(UserModes.None), "+")]
    [InlineData((int)(UserModes.Invisible), "+i")]
    [InlineData((int)(UserModes.Operator | UserModes.Wallops), "+ow")]
    [InlineData((int)(UserModes.Bot | UserModes.Invisible | UserModes.Operator | UserModes.Wallops), "+Biow")]
    public void Modes_format_in_004_order(int modes, string expected)
    {
        Assert.Equal(expected, UserModeLetters.Format((UserModes)modes));
    }

    [Theory]
    [InlineData((int)(UserModes.None), (int)(UserModes.Invisible), "+i")]
    [InlineData((int)(UserModes.Invisible), (int)(UserModes.None), "-i")]
    [InlineData((int)(UserModes.Operator), (int)(UserModes.Invisible | UserModes.Wallops), "+iw-o")]
    [InlineData((int)(UserModes.Wallops), (int)(UserModes.Wallops), "")]
    public void A_change_lists_what_was_added_then_what_was_removed(int before, int after, string expected)
    {
        Assert.Equal(expected, UserModeLetters.FormatChange((UserModes)before, (UserModes)after));
    }

    [Fact]
    public void Every_letter_maps_to_one_mode()
    {
        Assert.Equal(UserModeLetters.All.Length, UserModeLetters.All.Select(UserModeLetters.FromLetter).Distinct().Count());
        Assert.Equal(UserModes.None, UserModeLetters.FromLetter('x'));
    }
}
