namespace ChatLoad.Fuzz;

/// <summary>Runs saved inputs outside AFL++ and says, for each, whether it passed or which bound broke.</summary>
internal static class Replay
{
    public static int Run(string[] files)
    {
        int failed = 0;
        foreach (string file in files)
        {
            try
            {
                SessionScript.Run(File.ReadAllBytes(file));
                Console.WriteLine($"ok      {file}");
            }
            catch (Exception ex)
            {
                failed++;
                Console.WriteLine($"BROKEN  {file}: {ex}");
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
