using System;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// A token bucket per link: <c>rate</c> queries a second, bursts of up to <c>rate</c>. Time comes from the
    /// runtime's clock, so a simulation rate-limits in virtual time.
    /// </summary>
    sealed class QueryRateLimiter
    {
        readonly IClock _clock;
        readonly double _rate;
        readonly double _burst;
        double _tokens;
        DateTimeOffset _last;

        public QueryRateLimiter(IClock clock, int queriesPerSecond)
        {
            _clock = clock;
            _rate = Math.Max(1, queriesPerSecond);
            _burst = _rate;
            _tokens = _burst;
            _last = clock.Now;
        }

        /// <summary>Takes one token; false when the link has used up its allowance (the query is to be dropped).</summary>
        public bool TryTake()
        {
            lock (this)
            {
                var now = _clock.Now;
                double elapsed = (now - _last).TotalSeconds;
                if (elapsed > 0)
                {
                    _tokens = Math.Min(_burst, _tokens + elapsed * _rate);
                    _last = now;
                }
                if (_tokens < 1) return false;
                _tokens -= 1;
                return true;
            }
        }
    }
}
