using ChatLoad.Fuzz;
using SharpFuzz;

// The fuzz target (scripts/fuzz.sh): one input is a session script (see SessionScript) run against a fresh chat
// core. Under AFL++ (SharpFuzz's fork server) it runs once per input; without AFL it reads one input from stdin.
//   dotnet ChatLoad.Fuzz.dll --write-seeds DIR     the starting corpus
//   dotnet ChatLoad.Fuzz.dll --replay FILE...      runs saved inputs (a crash AFL found) and says what broke
if (args is ["--write-seeds", string seedDirectory])
{
    Seeds.Write(seedDirectory);
    return 0;
}
if (args is ["--replay", .. var files] && files.Length > 0)
    return Replay.Run(files);
if (args.Length > 0)
{
    Console.Error.WriteLine("usage: ChatLoad.Fuzz [--write-seeds DIR | --replay FILE...]  (no arguments: one input on stdin, or AFL++)");
    return 2;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var input = new MemoryStream();
    stream.CopyTo(input);
    SessionScript.Run(input.GetBuffer().AsSpan(0, (int)input.Length));
});
return 0;
