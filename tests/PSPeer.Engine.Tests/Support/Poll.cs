using System;
using System.Threading.Tasks;
using Xunit;

namespace PSPeer.Engine.Tests.Support
{
    /// <summary>
    /// Bounded polling for a condition set by another connection's loop: a failure never hangs, it fails the test
    /// with "timed out waiting for" what was awaited.
    /// </summary>
    static class Poll
    {
        static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

        /// <summary>The usual bound: 500 polls of 20 ms.</summary>
        public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(10);

        /// <summary>Up to 30 s: floods of a few hundred sockets are slow on a loaded 2-core CI machine.</summary>
        public static readonly TimeSpan FloodBound = TimeSpan.FromSeconds(30);

        public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
        {
            int polls = (int)((timeout ?? DefaultBound).Ticks / Interval.Ticks);
            for (int i = 0; i < polls && !condition(); i++) await Task.Delay(Interval);
            Assert.True(condition(), "timed out waiting for " + what);
        }
    }
}
