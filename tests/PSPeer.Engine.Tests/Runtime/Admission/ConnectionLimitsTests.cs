using System;
using PSPeer.Engine.Runtime.Admission;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Admission
{
    public class ConnectionLimitsTests
    {
        [Fact]
        public void Each_kind_has_its_defaults_and_overrides_change_only_what_they_set()
        {
            var index = ConnectionLimits.For(ServerKind.NapsterIndex);
            Assert.Equal(4096, index.MaxConnections);
            Assert.Equal(8, index.MaxConnectionsPerAddress);
            Assert.Equal(TimeSpan.FromSeconds(30), index.HandshakeTimeout);
            var merged = index.WithOverrides(new ConnectionLimits { MaxConnectionsPerAddress = 64 });
            Assert.Equal(64, merged.MaxConnectionsPerAddress);
            Assert.Equal(4096, merged.MaxConnections);
            Assert.Equal(ServerKind.NapsterIndex, merged.Kind);
            Assert.Equal(16, ConnectionLimits.For(ServerKind.Tracker).MaxConnectionsPerAddress);
            Assert.Equal(200, ConnectionLimits.For(ServerKind.BitTorrentPeer).MaxConnections);
        }

        [Fact]
        public void A_number_given_as_a_timespan_is_refused_with_how_to_write_it()
        {
            // PowerShell turns @{ HandshakeTimeout = 5 } into 5 ticks.
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionLimits { HandshakeTimeout = TimeSpan.FromTicks(5) });
            Assert.Contains("[timespan]::FromSeconds(30)", e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionLimits { MaxConnectionsPerAddress = 0 });
        }

        [Fact]
        public void The_process_budget_stays_below_the_open_file_limit()
        {
            Assert.Equal(20000, DescriptorBudget.ParseLimits(
                "Limit                     Soft Limit           Hard Limit           Units     \nMax open files            20000                20000                files     \n"));
            Assert.Equal(-1, DescriptorBudget.ParseLimits("Max processes 10 10 processes\n"));
            var process = DescriptorBudget.Process;
            Assert.True(process.Capacity < process.ProcessLimit, process.ToString());
            Assert.True(process.ProcessLimit - process.Capacity >= 128, process.ToString());
        }
    }
}
