using System;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// A token bucket per link: <c>rate</c> queries a second, bursts of up to <c>rate</c>. Time comes from the
    /// runtime's clock, so a simulation rate-limits in virtual time.
    /// </summary>
    /// <remarks>
    /// A struct the link holds inline (a simulation has hundreds of thousands of links): keep it in a field and call
    /// <see cref="TryTake"/> on the field itself, never on a copy. Only the link's own read loop takes tokens, so it
    /// needs no lock.
    /// </remarks>
    struct QueryRateLimiter
    {
        readonly IClock _clock;
        readonly double _rate;   // also the burst
        double _tokens;
        long _lastTicks;

        public QueryRateLimiter(IClock clock, int queriesPerSecond)
        {
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            _rate = Math.Max(1, queriesPerSecond);
            _tokens = _rate;
            _lastTicks = clock.Now.UtcTicks;
        }

        /// <summary>Takes one token; false when the link has used up its allowance (the query is to be dropped).</summary>
        public bool TryTake()
        {
            long now = _clock.Now.UtcTicks;
            double elapsed = TimeSpan.FromTicks(now - _lastTicks).TotalSeconds;
            if (elapsed > 0)
            {
                _tokens = Math.Min(_rate, _tokens + elapsed * _rate);
                _lastTicks = now;
            }
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }
}
