using ChatLoad.Server.Chat.Operators;

namespace ChatLoad.Server.Tests.Chat.Logic;

public class OperatorPasswordTests
{
    [Fact]
    public void A_hash_verifies_its_password_only_and_never_contains_it()
    {
        string hash = OperatorPassword.Hash("correct horse", iterations: 1_000);
        Assert.StartsWith("pbkdf2-sha256$1000$", hash);
        Assert.DoesNotContain("correct horse", hash);
        Assert.True(OperatorPassword.IsWellFormed(hash));
        Assert.True(OperatorPassword.Verify("correct horse", hash));
        Assert.False(OperatorPassword.Verify("correct horsE", hash));
        Assert.False(OperatorPassword.Verify("", hash));
    }

    [Fact]
    public void Two_hashes_of_one_password_differ_by_their_salt()
    {
        Assert.NotEqual(OperatorPassword.Hash("same", 1_000), OperatorPassword.Hash("same", 1_000));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("operpassword")]                                   // a plain password is refused
    [InlineData("pbkdf2-sha256$1000$c2FsdA==")]                    // a part missing
    [InlineData("pbkdf2-sha1$1000$c2FsdA==$aGFzaA==")]             // another scheme
    [InlineData("pbkdf2-sha256$0$c2FsdA==$aGFzaA==")]              // no iterations
    [InlineData("pbkdf2-sha256$99999999$c2FsdA==$aGFzaA==")]       // above MaxIterations
    [InlineData("pbkdf2-sha256$-5$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2-sha256$1000$not base64!$aGFzaA==")]
    [InlineData("pbkdf2-sha256$1000$$aGFzaA==")]                   // empty salt
    public void Malformed_hashes_are_rejected_and_never_verify(string? stored)
    {
        Assert.False(OperatorPassword.IsWellFormed(stored));
        Assert.False(OperatorPassword.Verify("operpassword", stored));
    }
}
