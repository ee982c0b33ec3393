namespace ChatLoad.LoadEngine.Cluster.Planning;

/// <summary>
/// Whole-number splits that add up exactly: a total shared by weights (largest remainder), and which agent owns each
/// client index when they take turns in proportion to their shares.
/// </summary>
internal static class Apportion
{
    /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="weights"/> into whole parts that add up
    /// to it exactly (Hamilton's largest-remainder method; ties go to the lower index). Zero weights get zero.</summary>
    public static long[] ByWeight(long total, IReadOnlyList<double> weights)
    {
        if (total < 0) throw new ArgumentOutOfRangeException(nameof(total));
        double sum = weights.Sum();
        var parts = new long[weights.Count];
        if (total == 0 || sum <= 0) return parts;
        var remainders = new (double Remainder, int Index)[weights.Count];
        long given = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            double exact = total * (weights[i] / sum);
            parts[i] = (long)Math.Floor(exact);
            given += parts[i];
            remainders[i] = (exact - parts[i], i);
        }
        foreach (var (_, index) in remainders.Where(r => weights[r.Index] > 0).OrderByDescending(r => r.Remainder).ThenBy(r => r.Index))
        {
            if (given == total) break;
            parts[index]++;
            given++;
        }
        return parts;
    }

    /// <summary>As <see cref="ByWeight(long, IReadOnlyList{double})"/> for an int total.</summary>
    public static int[] ByWeight(int total, IReadOnlyList<double> weights) => ByWeight((long)total, weights).Select(p => (int)p).ToArray();
}

/// <summary>Which agent runs each client index of a scenario.</summary>
internal static class ClientOwnership
{
    /// <summary>
    /// Client index → agent, for agents holding <paramref name="shares"/> clients: at each index the agent furthest
    /// behind its proportional share takes it. Each agent ends with exactly its share (the agent picked always has a
    /// positive deficit, so it is below its share), and any run of consecutive indexes is spread over the agents in
    /// proportion, so rooms of neighbouring clients have members on every agent. The same on every agent (pure).
    /// </summary>
    public static int[] Interleave(IReadOnlyList<int> shares)
    {
        int total = shares.Sum();
        var owner = new int[total];
        var assigned = new long[shares.Count];
        for (int i = 0; i < total; i++)
        {
            int best = -1;
            double bestDeficit = double.NegativeInfinity;
            for (int a = 0; a < shares.Count; a++)
            {
                // deficit = share·(i+1)/total − assigned, compared without dividing (exact in longs).
                double deficit = (double)shares[a] * (i + 1) - (double)assigned[a] * total;
                if (deficit > bestDeficit) { bestDeficit = deficit; best = a; }
            }
            owner[i] = best;
            assigned[best]++;
        }
        return owner;
    }
}
