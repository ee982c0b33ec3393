using ChatLoad.Irc;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// IRCv3 MONITOR: <c>+ nick,nick</c> (730/731 for each, 734 past the MONITOR limit), <c>- nick,nick</c> (silent),
/// <c>C</c> (clear, silent), <c>L</c> (732..., 733), <c>S</c> (730/731 for every entry). Only nicks are watched,
/// never masks: a mask is kept as a nick nobody can hold.
/// </summary>
internal sealed class MonitorCommand : ICommandHandler
{
    public string Name => "MONITOR";
    public CommandRules Rules => new(MinimumParameters: 1);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        ChatNetwork network = client.Network;
        string subcommand = message.GetString(0);
        string[] targets = message.ParameterCount > 1
            ? message.GetString(1).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        var output = new ReplyBuffer(client);
        switch (subcommand)
        {
            case "+":
                int limit = network.Options.MaxMonitorEntries;
                for (int i = 0; i < targets.Length; i++)
                {
                    if (!network.Monitors.Add(client, targets[i], limit))
                    {
                        output.Numeric(IrcNumerics.ErrMonListFull, limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            string.Join(',', targets[i..]), "Monitor list is full.");
                        break;
                    }
                }
                WriteStatus(output, network, targets);
                break;
            case "-":
                foreach (string target in targets)
                    network.Monitors.Remove(client, target);
                break;
            case "C" or "c":
                network.Monitors.Clear(client);
                break;
            case "L" or "l":
                output.StartCommaList(IrcNumerics.RplMonList);
                foreach (string nick in network.Monitors.ListOf(client))
                    output.Word(nick);
                output.EndWords();
                output.Numeric(IrcNumerics.RplEndOfMonList, "End of MONITOR list");
                break;
            case "S" or "s":
                WriteStatus(output, network, [.. network.Monitors.ListOf(client)]);
                break;
        }
        output.Send();
    }

    private static void WriteStatus(ReplyBuffer output, ChatNetwork network, IEnumerable<string> nicks)
    {
        var online = new List<string>();
        var offline = new List<string>();
        foreach (string nick in nicks)
        {
            if (network.Nicks.FindUser(nick) is { } user)
                online.Add(user.Identity.PrefixText);
            else
                offline.Add(nick);
        }
        WriteList(output, IrcNumerics.RplMonOnline, online);
        WriteList(output, IrcNumerics.RplMonOffline, offline);
    }

    private static void WriteList(ReplyBuffer output, string numeric, List<string> items)
    {
        if (items.Count == 0)
            return;
        output.StartCommaList(numeric);
        foreach (string item in items)
            output.Word(item);
        output.EndWords();
    }
}
