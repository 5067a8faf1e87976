using System;
using PSPeer.Engine.Runtime.Admission;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Admission
{
    /// <summary>
    /// Limits keep "not set" without nullable fields: every value set (including the smallest allowed, and a minimum
    /// upload rate of 0) is kept and carried by WithOverrides, and every value left unset reads as its kind's default.
    /// </summary>
    public class ConnectionLimitsUnsetTests
    {
        [Fact]
        public void Values_left_unset_read_as_the_kind_s_defaults()
        {
            var unset = new ConnectionLimits();
            var http = ConnectionLimits.For(ServerKind.HttpFileServer);
            Assert.Null(unset.Kind);
            Assert.Equal(ServerKind.HttpFileServer, http.Kind);
            foreach (var limits in new[] { unset, http })
            {
                Assert.Equal(256, limits.MaxConnections);
                Assert.Equal(8, limits.MaxConnectionsPerAddress);
                Assert.Equal(32, limits.MaxUploads);
                Assert.Equal(TimeSpan.FromSeconds(20), limits.HandshakeTimeout);
                Assert.Equal(TimeSpan.FromSeconds(60), limits.MessageTimeout);
                Assert.Equal(TimeSpan.FromSeconds(30), limits.SlowUploadWindow);
                Assert.Equal(2048, limits.MinUploadRate);
                Assert.Null(limits.DescriptorBudget);
            }
        }

        [Fact]
        public void Every_value_set_is_kept_and_overrides_only_what_it_sets()
        {
            var budget = new DescriptorBudget(10);
            var set = new ConnectionLimits
            {
                MaxConnections = 1, MaxConnectionsPerAddress = 2, MaxUploads = 3,
                HandshakeTimeout = TimeSpan.FromMilliseconds(10), MessageTimeout = TimeSpan.FromSeconds(4),
                SlowUploadWindow = TimeSpan.FromSeconds(5), MinUploadRate = 0, DescriptorBudget = budget,
            };
            var merged = ConnectionLimits.For(ServerKind.GnutellaServent).WithOverrides(set);
            Assert.Equal(ServerKind.GnutellaServent, merged.Kind);
            Assert.Equal(1, merged.MaxConnections);
            Assert.Equal(2, merged.MaxConnectionsPerAddress);
            Assert.Equal(3, merged.MaxUploads);
            Assert.Equal(TimeSpan.FromMilliseconds(10), merged.HandshakeTimeout);
            Assert.Equal(TimeSpan.FromSeconds(4), merged.MessageTimeout);
            Assert.Equal(TimeSpan.FromSeconds(5), merged.SlowUploadWindow);
            Assert.Equal(0, merged.MinUploadRate);   // "no minimum" is a value, not "unset"
            Assert.Same(budget, merged.DescriptorBudget);

            // Overriding with limits that set one value changes that value alone.
            var again = merged.WithOverrides(new ConnectionLimits { MaxUploads = 7 }, ServerKind.Tracker);
            Assert.Equal(ServerKind.Tracker, again.Kind);
            Assert.Equal(7, again.MaxUploads);
            Assert.Equal(1, again.MaxConnections);
            Assert.Equal(0, again.MinUploadRate);
            Assert.Equal(TimeSpan.FromMilliseconds(10), again.HandshakeTimeout);
        }
    }
}
