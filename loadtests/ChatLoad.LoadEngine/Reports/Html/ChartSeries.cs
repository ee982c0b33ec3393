namespace ChatLoad.LoadEngine.Reports.Html;

/// <summary>One line of a line chart: a legend name and points (X[i], Y[i]). X and Y must be the same length; a
/// non-finite Y leaves a gap.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>One group of bars: a legend name and one value per category (Categories[i], Values[i]).</summary>
public sealed record BarSeries(string Name, IReadOnlyList<string> Categories, IReadOnlyList<double> Values);
