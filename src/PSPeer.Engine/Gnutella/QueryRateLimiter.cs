using System;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// A token bucket per link: <c>rate</c> queries a second, bursts of up to <c>rate</c>. Time comes from the
    /// runtime's clock, so a simulation rate-limits in virtual time.
    /// </summary>
    /// <remarks>
    /// A struct of the bucket alone, held inline by the link (a simulation has hundreds of thousands of links); the
    /// clock and the rate are the servent's and come with each call. Keep it in a field and call
    /// <see cref="TryTake"/> on the field itself, never on a copy. Only the link's own read loop takes tokens, so it
    /// needs no lock.
    /// </remarks>
    struct QueryRateLimiter
    {
        double _tokens;
        long _lastTicks;

        /// <summary>A full bucket at <paramref name="clock"/>'s now.</summary>
        public QueryRateLimiter(IClock clock, int queriesPerSecond)
        {
            if (clock == null) throw new ArgumentNullException(nameof(clock));
            _tokens = Rate(queriesPerSecond);
            _lastTicks = clock.Now.UtcTicks;
        }

        static double Rate(int queriesPerSecond) => Math.Max(1, queriesPerSecond);

        /// <summary>Takes one token; false when the link has used up its allowance (the query is to be dropped).</summary>
        public bool TryTake(IClock clock, int queriesPerSecond)
        {
            double rate = Rate(queriesPerSecond);
            long now = clock.Now.UtcTicks;
            double elapsed = TimeSpan.FromTicks(now - _lastTicks).TotalSeconds;
            if (elapsed > 0)
            {
                _tokens = Math.Min(rate, _tokens + elapsed * rate);
                _lastTicks = now;
            }
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }
}
