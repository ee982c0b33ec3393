namespace ChatLoad.LoadEngine.Stats;

/// <summary>Open while the measured part of a scenario runs; recordings outside it (warm-up, clean) are dropped.</summary>
internal sealed class MeasurementGate
{
    private volatile bool _open;
    public bool IsOpen => _open;
    public void Open() => _open = true;
    public void Close() => _open = false;
}
