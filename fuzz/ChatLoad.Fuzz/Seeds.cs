using System.Text;

namespace ChatLoad.Fuzz;

/// <summary>The starting corpus: short sessions that reach every command, written in <see cref="SessionScript"/>'s format.</summary>
internal static class Seeds
{
    private const string RegisterA = "NICK a\r\nUSER a 0 * :A\r\n";
    private const string RegisterB = "CAP LS 302\r\nNICK b\r\nUSER b 0 * :B\r\nCAP REQ :multi-prefix\r\nCAP END\r\n";

    // (client, bytes) steps; a step of client -1 lets 100 ms pass.
    private static readonly (int Client, string Text)[][] Sessions =
    [
        [(0, RegisterA), (1, RegisterB), (0, "JOIN #x\r\n"), (1, "JOIN #x\r\n"), (0, "PRIVMSG #x :hi\r\n"), (-1, ""),
         (1, "PRIVMSG a,#x :both\r\n"), (0, "PART #x :bye\r\n"), (1, "QUIT :done\r\n")],
        [(1, RegisterB), (1, "MODE b\r\nJOIN #y\r\nWHO #y\r\nNAMES #y\r\nMODE #y\r\nMODE #y b\r\n"), (2, RegisterA), (2, "WHO b\r\n")],
        [(2, "NICK c\nUSER c 0 * :C\n"), (2, "JOIN #x,#y,#z\r\n"), (2, "TOPIC #x :new topic\r\n"), (3, RegisterA), (3, "JOIN #x\r\n"),
         (3, "TOPIC #x\r\n"), (2, "JOIN 0\r\n")],
        [(3, RegisterA), (0, RegisterB), (3, "PRIVMSG a,b,c,d,a,A :many\r\n"), (3, "NOTICE b :n\r\n"),
         (3, "NICK e\r\nNICK f\r\nNICK g\r\nNICK h\r\nNICK i\r\nNICK j\r\n"), (-1, ""), (3, "NICK k\r\n")],
        [(0, "PASS x\r\nNICK p\r\nUSER p 0 * :P\r\n"), (0, "PING :lag\r\nPONG :x\r\n"), (0, "PRIVMSG p :\u00e9\u00e8\r\n"),
         (0, string.Concat(Enumerable.Repeat("PING :flood\r\n", 18)))],
        [(1, "@tag=1 :src PRIVMSG #x :tagged\r\n"), (1, ":only.source\r\n"), (1, "\r\n\r\n"), (1, RegisterA), (1, "FOO bar baz\r\n")],
    ];

    public static void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        for (int i = 0; i < Sessions.Length; i++)
        {
            using var script = new MemoryStream();
            int step = 0;
            foreach ((int client, string text) in Sessions[i])
            {
                if (client < 0)
                {
                    script.WriteByte(0x04); // fake time passes: 1 × 100 ms
                    script.WriteByte(1);
                    continue;
                }
                byte[] data = Encoding.UTF8.GetBytes(text);
                bool byteByByte = ++step % 3 == 0; // every third step one byte per read
                for (int offset = 0; offset < data.Length; offset += 255)
                {
                    int length = Math.Min(255, data.Length - offset);
                    script.WriteByte((byte)(byteByByte ? 0x0C | client : client));
                    script.WriteByte((byte)length);
                    script.Write(data, offset, length);
                }
            }
            script.WriteByte((byte)(0x08 | (i % SessionScript.Clients))); // one connection drops
            File.WriteAllBytes(Path.Combine(directory, $"session{i}"), script.ToArray());
        }
        // Invalid UTF-8, an over-long line (two reads of 255 bytes and more), a NUL.
        File.WriteAllBytes(Path.Combine(directory, "bytes"),
            [0x00, 23, .. "NICK z\r\nUSER z 0 * :z\r\n"u8, 0x00, 5, 0xFF, 0xC3, 0x28, (byte)'\r', (byte)'\n',
             0x00, 255, .. Enumerable.Repeat((byte)'x', 255), 0x00, 255, .. Enumerable.Repeat((byte)'y', 255),
             0x00, 8, .. "QUIT :a"u8, 0, (byte)'\n']);
    }
}
