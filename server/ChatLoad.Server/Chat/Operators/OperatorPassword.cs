using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ChatLoad.Server.Chat.Operators;

/// <summary>
/// Operator passwords are configured as PBKDF2-HMAC-SHA256 hashes, never as plain text:
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt, base64&gt;$&lt;hash, base64&gt;</c>. Make one with
/// <c>chatload-server --hash-password</c> (reads the password from standard input).
/// </summary>
public static class OperatorPassword
{
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>
    /// Iterations for new hashes. 100,000 costs about 50 ms per OPER attempt here: negligible for a person, slow for
    /// someone guessing from a stolen configuration file.
    /// </summary>
    public const int DefaultIterations = 100_000;

    /// <summary>Upper bound accepted when reading a hash, so a typo cannot make each OPER take minutes.</summary>
    public const int MaxIterations = 10_000_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>True when <paramref name="stored"/> has the expected shape (checked at start-up).</summary>
    public static bool IsWellFormed(string? stored) => TryParse(stored, out _, out _, out _);

    /// <summary>Checks <paramref name="password"/> against a stored hash in constant time; false for a malformed hash.</summary>
    public static bool Verify(string password, string? stored)
    {
        if (!TryParse(stored, out int iterations, out byte[] salt, out byte[] expected))
            return false;
        byte[] actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParse(string? stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        string[] parts = stored?.Split('$') ?? [];
        if (parts.Length != 4 || parts[0] != Scheme)
            return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1 || iterations > MaxIterations)
            return false;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length > 0 && hash.Length > 0;
    }
}
