namespace ChatLoad.LoadTests.Comparison;

/// <summary>What one probe of a saturation search says about its rate.</summary>
public enum ProbeVerdict
{
    /// <summary>The service level held: p99 within the SLO, nothing lost, no client or iteration failed.</summary>
    Held,

    /// <summary>The server missed the service level at this rate (the reason says which figure).</summary>
    Missed,

    /// <summary>The load generator saturated: the figures are the generator's, so the rate says nothing of the server.</summary>
    GeneratorBound,
}

/// <summary>Judges a probe against the search's service level. Pure: the same outcome always gets the same verdict.</summary>
public static class ProbeJudgement
{
    public static (ProbeVerdict Verdict, string Reason) Of(RungOutcome probe, SaturationSearchSpec spec)
    {
        if (probe.Figures is not { } f)
            return (ProbeVerdict.Missed, probe.Failure ?? "no figures");
        // The generator first: a saturated generator's latency and loss are its own, whatever else they show.
        if (f.GeneratorSaturated)
            return (ProbeVerdict.GeneratorBound, $"the load generator saturated (CPU {f.GeneratorCpuPercent:0}% of its core)");
        if (probe.Failure is { } failure)
            return (ProbeVerdict.Missed, failure);
        if (f.Lost > 0)
            return (ProbeVerdict.Missed, $"{f.Lost:N0} of {f.Expected:N0} messages lost");
        if (f.P99Ms is not { } p99)
            return (ProbeVerdict.Missed, "no latency samples");
        if (p99 > spec.SloP99Ms)
            return (ProbeVerdict.Missed, $"p99 {PointComparison.Ms(p99)} over the {PointComparison.Ms(spec.SloP99Ms)} SLO");
        return (ProbeVerdict.Held, $"p99 {PointComparison.Ms(p99)}, nothing lost");
    }
}
