using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace ChatLoad.Server.Hosting;

/// <summary>
/// Checks <see cref="ServerOptions"/> at start: the DataAnnotations on the class, then what attributes cannot say
/// (a defined mode, a parsable bind address, positive timeouts). Each failure is one short sentence naming the
/// command-line switch, because it is printed as the server's only output before it exits with code 2.
/// </summary>
public sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var failures = new List<string>();

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            foreach (ValidationResult result in results)
                failures.Add(Describe(result));
        }

        if (options.Mode is { } mode && !Enum.IsDefined(mode))
            failures.Add("--mode must be threads or async");
        if (!IPAddress.TryParse(options.Bind, out _))
            failures.Add($"--bind must be an IP address such as 127.0.0.1 (got '{options.Bind}')");
        if (!IPAddress.TryParse(options.MetricsBind, out _))
            failures.Add($"--metrics-bind must be an IP address such as 127.0.0.1 (got '{options.MetricsBind}')");
        if (options.MetricsPort != 0 && options.MetricsPort == options.Port)
            failures.Add("--metrics-port must differ from --port");
        foreach (OperatorEntry oper in options.Operators)
        {
            if (string.IsNullOrWhiteSpace(oper.Name) || oper.Name.Contains(' '))
                failures.Add("Operators: every operator needs a Name without spaces");
            else if (!Chat.Operators.OperatorPassword.IsWellFormed(oper.PasswordHash))
                failures.Add($"Operators: {oper.Name}'s PasswordHash must look like {Chat.Operators.OperatorPassword.Scheme}$iterations$salt$hash (make one with: chatload-server hash-password)");
        }
        if (!Transports.Admission.AddressLimitSettings.TryParseNetworks(options.PerAddressExempt, out _, out string? exemptProblem))
            failures.Add($"--per-address-exempt: {exemptProblem}");
        RequirePositive(failures, "--connect-interval-per-address", options.ConnectIntervalPerAddress);
        if (options.TlsPort != 0 && (options.TlsPort == options.Port || options.TlsPort == options.MetricsPort))
            failures.Add("--tls-port must differ from --port and --metrics-port");
        if (options.TlsCertificate.Length > 0 && !File.Exists(options.TlsCertificate))
            failures.Add($"--tls-certificate: no such file '{options.TlsCertificate}'");
        if (options.TlsKey.Length > 0 && !File.Exists(options.TlsKey))
            failures.Add($"--tls-key: no such file '{options.TlsKey}'");
        RequirePositive(failures, "--tls-handshake-timeout", options.TlsHandshakeTimeout);
        RequirePositive(failures, "--send-timeout", options.SendTimeout);
        if (options.SendCoalescingWindow < TimeSpan.Zero || options.SendCoalescingWindow > TimeSpan.FromSeconds(1))
            failures.Add($"--send-coalescing-window must be between 0 ms and 1 s (got {options.SendCoalescingWindow})");
        if (options.SocketEngine == SocketEngine.Epoll && !Transports.Pipelines.EpollReadiness.IsSupported)
            failures.Add("--socket-engine epoll needs Linux (x86-64 or arm64); use --socket-engine dotnet");
        RequirePositive(failures, "--ping-interval", options.PingInterval);
        RequirePositive(failures, "--ping-timeout", options.PingTimeout);
        RequirePositive(failures, "--registration-timeout", options.RegistrationTimeout);
        RequirePositive(failures, "--shutdown-timeout", options.ShutdownTimeout);
        RequirePositive(failures, "--metrics-request-timeout", options.MetricsRequestTimeout);
        RequirePositive(failures, "--flood-cooldown", options.FloodCooldown);
        RequirePositive(failures, "--nick-change-interval", options.NickChangeInterval);
        RequirePositive(failures, "--join-part-interval", options.JoinPartInterval);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
            failures.Add($"{name} must be between 1 ms and 1 day (got {value})");
    }

    private static string Describe(ValidationResult result)
    {
        string member = result.MemberNames.FirstOrDefault() ?? "";
        string? option = ServerCommandLine.SwitchFor(member);
        if (member == nameof(ServerOptions.Mode))
            return "--mode is required: threads or async";
        return option is null ? result.ErrorMessage ?? member : $"{option}: {result.ErrorMessage}";
    }
}
