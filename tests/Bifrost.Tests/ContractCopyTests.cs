namespace Bifrost.Tests;

public class ContractCopyTests
{
    [Fact]
    public void EmbeddedCopies_MatchSharedContract_WhenSharedIsPresent()
    {
        var embedded = Directory.GetFiles(Contract.EmbeddedDirectory, "*", SearchOption.AllDirectories);
        Assert.True(embedded.Length >= 15, $"expected the contract copies in {Contract.EmbeddedDirectory}");
        if (!Directory.Exists(Contract.SharedDirectory))
        {
            return; // no ../shared on this machine: the copies are the contract
        }

        foreach (var shared in Directory.GetFiles(Contract.SharedDirectory, "*.json*", SearchOption.AllDirectories).Concat(Directory.GetFiles(Contract.SharedDirectory, "*.txt", SearchOption.AllDirectories)))
        {
            var relative = Path.GetRelativePath(Contract.SharedDirectory, shared);
            var copy = Path.Combine(Contract.EmbeddedDirectory, relative);
            Assert.True(File.Exists(copy), $"contract file {relative} has no copy in tests/Bifrost.Tests/TestData/contract");
            Assert.Equal(File.ReadAllBytes(shared), File.ReadAllBytes(copy));
        }
    }
}
