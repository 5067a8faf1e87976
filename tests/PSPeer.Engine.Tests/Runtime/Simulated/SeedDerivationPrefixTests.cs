using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// A seed derived from a prefix and a name (a host's: "host/" and its name) is the seed of the two joined, made
    /// without joining them; the seeds themselves are what FNV-1a and SplitMix64 have always made of the names.
    /// </summary>
    public class SeedDerivationPrefixTests
    {
        [Theory]
        [InlineData(1, "host/n0", 1874076875)]
        [InlineData(42, "host/server", 1964895869)]
        [InlineData(-7, "network/nat", -1480266178)]
        public void A_seed_is_what_it_always_was(int seed, string name, int expected) =>
            Assert.Equal(expected, SeedDerivation.Derive(seed, name));

        [Theory]
        [InlineData(1, "host/", "n0")]
        [InlineData(1, "host/", "n99999")]
        [InlineData(42, "host/", "server")]
        [InlineData(-7, "", "x")]
        [InlineData(3, "host/", "")]
        public void A_prefix_and_a_name_give_the_seed_of_the_two_joined(int seed, string prefix, string name) =>
            Assert.Equal(SeedDerivation.Derive(seed, prefix + name), SeedDerivation.Derive(seed, prefix, name));
    }
}
