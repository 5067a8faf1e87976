using PSPeer.Engine.Runtime.Admission;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Admission
{
    /// <summary>The gate's per-address counts: the same answers with a few addresses (a small array) and with many (a dictionary).</summary>
    public class AddressCountsTests
    {
        [Theory]
        [InlineData(3)]
        [InlineData(16)]
        [InlineData(17)]
        [InlineData(200)]
        public void Counts_go_up_and_down_per_address_ignoring_case_with_few_or_many_addresses(int addresses)
        {
            var counts = new AddressCounts();
            for (int round = 0; round < 3; round++)
                for (int i = 0; i < addresses; i++)
                    counts.Increment((round == 1 ? "HOST-" : "host-") + i);
            for (int i = 0; i < addresses; i++) Assert.Equal(3, counts.Of("Host-" + i));
            Assert.Equal(0, counts.Of("nobody"));

            // Down one each, then every other address down to none; the rest keep theirs.
            for (int i = 0; i < addresses; i++) counts.Decrement("host-" + i);
            for (int i = 0; i < addresses; i += 2) { counts.Decrement("host-" + i); counts.Decrement("host-" + i); counts.Decrement("host-" + i); }
            for (int i = 0; i < addresses; i++) Assert.Equal(i % 2 == 0 ? 0 : 2, counts.Of("host-" + i));

            // An address that left can come back; one never seen is not counted below zero.
            counts.Increment("host-0");
            counts.Decrement("never-here");
            Assert.Equal(1, counts.Of("host-0"));
            Assert.Equal(0, counts.Of("never-here"));
        }
    }
}
