using System.Text;
using Plotly.NET;

namespace ChatLoad.LoadEngine.Reports.Html;

/// <summary>
/// How a page gets plotly.js while staying offline: inlined (<see cref="Embedded"/>, one self-contained file of about
/// 3.6 MB) or from a local copy beside the page (<see cref="RelativeFile"/>, written once by
/// <see cref="WriteSharedCopy"/>; each page then weighs kilobytes). A remote URL is refused: reports must open with no
/// network.
/// </summary>
public sealed class PlotlyScript
{
    private PlotlyScript(string? relativePath) => RelativePath = relativePath;

    /// <summary>plotly.js inlined into the page, once however many charts the page has.</summary>
    public static PlotlyScript Embedded { get; } = new(null);

    /// <summary>Whether the script is inlined (<see cref="Embedded"/>).</summary>
    public bool IsEmbedded => RelativePath is null;

    /// <summary>The relative path of the shared copy, or null when embedded.</summary>
    public string? RelativePath { get; }

    /// <summary>The plotly.js version that Plotly.NET bundles (and that charts are rendered for).</summary>
    public static string PlotlyJsVersion => PlotlyJsSource.Version;

    /// <summary>Default file name of the shared copy: <c>plotly-&lt;version&gt;.min.js</c>.</summary>
    public static string DefaultSharedFileName => $"plotly-{PlotlyJsVersion}.min.js";

    /// <summary>
    /// Reference a local copy of plotly.js by a path relative to the page (e.g. <c>"plotly-2.28.0.min.js"</c> or
    /// <c>"../plotly-2.28.0.min.js"</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty, absolute, or a URL (it would not open offline).</exception>
    public static PlotlyScript RelativeFile(string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath))
            throw new ArgumentException("The plotly.js path must be a non-empty relative path.", nameof(relativePath));
        var normalized = relativePath.Replace('\\', '/');
        if (Path.IsPathRooted(relativePath) || normalized.StartsWith('/') || normalized.Contains(':'))
            throw new ArgumentException(
                $"The plotly.js path '{relativePath}' must be relative to the page (no URL, scheme or absolute path), so the report opens offline.",
                nameof(relativePath));
        return new PlotlyScript(normalized);
    }

    /// <summary>
    /// Writes plotly.js (and its license notices, as the script's header asks) into <paramref name="folder"/>,
    /// creating it if needed, and returns the script's full path. Reference it from pages with
    /// <see cref="RelativeFile"/>.
    /// </summary>
    public static string WriteSharedCopy(string folder, string? fileName = null)
    {
        if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException("The folder must be a non-empty path.", nameof(folder));
        fileName ??= DefaultSharedFileName;
        if (fileName.Length == 0 || fileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"'{fileName}' is not a plain file name.", nameof(fileName));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, fileName);
        WriteAtomically(path, PlotlyJsSource.Script);
        if (PlotlyJsSource.License.Length > 0) WriteAtomically(Path.Combine(folder, LicenseFileName), PlotlyJsSource.License);
        return Path.GetFullPath(path);
    }

    /// <summary>The name plotly.min.js's header gives for its license notices.</summary>
    public const string LicenseFileName = "plotly.min.js.LICENSE.txt";

    // Pages already open (or a parallel run) never see a half-written library.
    private static void WriteAtomically(string path, string content)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The <c>&lt;script&gt;</c> element that loads plotly.js, for the page's head.</summary>
    public string ToHtml() => IsEmbedded
        // The library's license notices (JavaScript comments) travel with every inlined copy, as its header asks.
        // "</script" cannot occur inside an inline script; "<\/" means the same to JavaScript.
        ? "<script>" + (PlotlyJsSource.License + "\n" + PlotlyJsSource.Script)
              .Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) + "</script>"
        : $"<script src=\"{HtmlText.Encode(RelativePath)}\"></script>";
}
