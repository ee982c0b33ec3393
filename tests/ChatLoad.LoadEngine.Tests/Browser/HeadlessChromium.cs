using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace ChatLoad.LoadEngine.Tests.Browser;

/// <summary>
/// Debian's chromium driven through chromedriver by Selenium, headless, with a fresh profile and no network: every
/// request that is not a local file goes to a proxy on a closed loopback port and fails, so a page that needed the
/// network would show it in its console log. Paths can be overridden with CHATLOAD_CHROMIUM / CHATLOAD_CHROMEDRIVER.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    public const string DefaultBrowserPath = "/usr/bin/chromium";
    public const string DefaultDriverPath = "/usr/bin/chromedriver";

    private readonly string _profile;

    private HeadlessChromium(ChromeDriver driver, string profile)
    {
        Driver = driver;
        _profile = profile;
    }

    public ChromeDriver Driver { get; }

    public static string BrowserPath => Environment.GetEnvironmentVariable("CHATLOAD_CHROMIUM") ?? DefaultBrowserPath;
    public static string DriverPath => Environment.GetEnvironmentVariable("CHATLOAD_CHROMEDRIVER") ?? DefaultDriverPath;

    /// <summary>Starts the browser, or fails the test with how to install it: a missing browser is not a pass.</summary>
    public static HeadlessChromium Start()
    {
        if (!File.Exists(BrowserPath) || !File.Exists(DriverPath))
            Assert.Fail($"The real-browser test needs Debian's chromium and chromedriver at {BrowserPath} and {DriverPath} "
                + "(install with `apt-get install -y chromium chromium-driver`; ./scripts/test.sh does this), "
                + "or set CHATLOAD_CHROMIUM / CHATLOAD_CHROMEDRIVER.");

        var profile = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"chatload-chromium-{Guid.NewGuid():N}")).FullName;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
            "--disable-extensions", $"--user-data-dir={profile}", "--window-size=1400,1000",
            // Network cut off: port 9 on loopback has no listener, so any remote fetch fails fast.
            "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        try
        {
            return new HeadlessChromium(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)), profile);
        }
        catch
        {
            service.Dispose();
            TryDelete(profile);
            throw;
        }
    }

    /// <summary>Console messages at SEVERE level (script errors, failed loads) since the last call.</summary>
    public IReadOnlyList<string> SevereLogEntries() =>
        Driver.Manage().Logs.GetLog(LogType.Browser)
            .Where(e => e.Level == LogLevel.Severe).Select(e => e.Message).ToList();

    public void Dispose()
    {
        Driver.Quit(); // ends chromium and chromedriver
        Driver.Dispose();
        TryDelete(_profile);
    }

    private static void TryDelete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { /* the profile may still be locked for a moment; a temp leftover is harmless */ }
        catch (UnauthorizedAccessException) { }
    }
}
