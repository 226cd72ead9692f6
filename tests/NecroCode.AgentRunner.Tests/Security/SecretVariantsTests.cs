using System.Text;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Security;

[TestFixture]
public sealed class SecretVariantsTests
{
    [Test]
    public void StableBase64_AnySurroundingBytes_OccursInTheEncoding()
    {
        var secret = Encoding.UTF8.GetBytes("Secr3t!");
        var random = new Random(3);
        var misses = 0;

        for (var before = 0; before < 9; before++)
        {
            for (var after = 0; after < 4; after++)
            {
                var payload = new byte[before + secret.Length + after];
                random.NextBytes(payload);
                secret.CopyTo(payload, before);
                var inner = SecretVariants.StableBase64(secret, before % 3);
                if (!Convert.ToBase64String(payload).Contains(inner, StringComparison.Ordinal))
                {
                    misses++;
                }
            }
        }

        Assert.That(misses, Is.Zero);
    }

    [Test]
    public void AddTo_Secret_AddsEveryEncoding()
    {
        var variants = new HashSet<string>(StringComparer.Ordinal);

        SecretVariants.AddTo("a b/c+d\"e", 6, variants);

        Assert.That(variants, Is.SupersetOf(new[]
        {
            "a b/c+d\"e",
            "a%20b%2Fc%2Bd%22e",
            "a+b%2Fc%2Bd%22e",
            "a b/c\\u002Bd\\u0022e",
            "a b/c+d\\\"e",
            "6120622f632b642265",
            "6120622F632B642265",
        }));
    }

    [Test]
    public void AddTo_VariantsShorterThanMinimum_AreLeftOut()
    {
        var variants = new HashSet<string>(StringComparer.Ordinal);

        SecretVariants.AddTo("abcdef", 8, variants);

        Assert.That(variants, Has.All.Length.GreaterThanOrEqualTo(8));
    }
}
