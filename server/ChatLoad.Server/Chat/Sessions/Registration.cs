using System.Security.Cryptography;
using System.Text;
using ChatLoad.Irc;

namespace ChatLoad.Server.Chat.Sessions;

/// <summary>
/// The registration state of one connection: NICK and USER given, PASS checked, CAP negotiation not in progress
/// (IRCv3: a client that sent <c>CAP LS</c> holds registration until <c>CAP END</c>). Touched only from the
/// session's own command handling, except <see cref="IsComplete"/>, which other threads read. A struct held inside
/// its <see cref="ClientSession"/> and reached by reference (<see cref="ClientSession.Registration"/>): an object of
/// its own cost 40 bytes per client for a few fields; never copy it.
/// </summary>
internal struct Registration
{
    private volatile bool _complete;

    public readonly bool IsComplete => _complete;

    /// <summary>What the client gave with PASS, if anything.</summary>
    public string? Password { get; set; }

    /// <summary>True between <c>CAP LS</c>/<c>CAP REQ</c> and <c>CAP END</c>.</summary>
    public bool CapNegotiating { get; set; }

    /// <summary>The version the client gave with <c>CAP LS</c> (302 and above get values, multi-line LS and cap-notify); 0 if none.</summary>
    public int CapVersion { get; set; }

    /// <summary>Completes registration once everything is in: 001–005 and the MOTD go out, or 464 and a close.</summary>
    public void TryComplete(ClientSession client)
    {
        ClientIdentity identity = client.Identity;
        if (_complete || CapNegotiating || identity.Nick is null || identity.UserName is null)
            return;

        ChatNetwork network = client.Network;
        if (RefuseWrongPassword(client))
            return;

        client.OnRegistered(); // before IsRegistered turns true, so nobody reads a signon time not yet set
        _complete = true;
        network.Metrics.ClientRegistered();
        ChatLog.ClientRegistered(network.Logger, client.Id, identity.Nick);
        network.Greeting.SendTo(client);
        network.Monitors.OnSignedOn(client);
    }

    /// <summary>When the server has a password and <see cref="Password"/> is not it: 464, then the connection is
    /// closed (no second guess on the same connection). True when it refused.</summary>
    public bool RefuseWrongPassword(ClientSession client)
    {
        string? required = client.Network.Options.Password;
        if (string.IsNullOrEmpty(required) || Matches(Password, required))
            return false;
        client.SendNumeric(IrcNumerics.ErrPasswdMismatch, "Password incorrect");
        client.CloseWith("Bad password");
        return true;
    }

    // Constant time, so response timing does not reveal how much of the password was right.
    private static bool Matches(string? given, string required) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(required));
}
