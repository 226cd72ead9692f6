using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Security;

[TestFixture]
public sealed class PatchMaskingTests
{
    private const string Secret = "pm-secret-Ke83PqZs0Lw";
    private const string Shape = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";

    private static SecretMasker Masker()
    {
        var masker = new SecretMasker();
        masker.AddSecret(Secret);
        return masker;
    }

    private static string Patch(string context, string added) =>
        $"diff --git a/f.txt b/f.txt\nindex 1111111..2222222 100644\n--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,3 @@\n {context}\n x\n+{added}\n";

    [Test]
    public void Mask_NoSecrets_SameInstance()
    {
        var patch = Patch("plain", "more");

        Assert.That(PatchMasking.Mask(patch, Masker()), Is.SameAs(patch));
    }

    [Test]
    public void Mask_TokenShapeInContextLine_LeftAsIs()
    {
        var patch = Patch($"token = {Shape}", "more");

        Assert.That(PatchMasking.Mask(patch, Masker()), Is.SameAs(patch));
    }

    [Test]
    public void Mask_TokenShapeInAddedLine_Masked()
    {
        var masked = PatchMasking.Mask(Patch("plain", $"token = {Shape}"), Masker());

        Assert.That(masked, Does.EndWith("+token = ***\n").And.Not.Contain(Shape));
    }

    [Test]
    public void Mask_KnownSecretInContextLineAndHeader_MaskedEverywhere()
    {
        var patch = Patch($"key = {Secret}", "more").Replace("f.txt", $"f-{Secret}.txt", StringComparison.Ordinal);

        var masked = PatchMasking.Mask(patch, Masker());

        Assert.Multiple(() =>
        {
            Assert.That(masked, Does.Not.Contain(Secret));
            Assert.That(masked, Does.Contain(" key = ***\n").And.Contain("+++ b/f-***.txt\n"));
        });
    }

    [Test]
    public void Mask_TokenShapeInBinaryPatchData_LeftAsIs()
    {
        var patch = $"diff --git a/b.bin b/b.bin\nnew file mode 100644\nGIT binary patch\nliteral 40\nz{Shape}\n\nliteral 0\nHcmV?d00001\n\n";

        Assert.That(PatchMasking.Mask(patch, Masker()), Is.SameAs(patch));
    }
}
