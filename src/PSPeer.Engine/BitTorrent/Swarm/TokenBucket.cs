using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// A rate limit on the runtime's clock: each taker reserves its bytes at once (the balance may go negative) and
    /// waits until the balance would be back at zero, so takers are served in order and the long-run rate is exact.
    /// A rate of 0 means unlimited. Thread-safe.
    /// </summary>
    public sealed class TokenBucket
    {
        readonly IClock _clock;
        readonly object _gate = new object();
        readonly double _burst;
        double _tokens;
        DateTimeOffset _last;

        public TokenBucket(IClock clock, long bytesPerSecond)
        {
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            if (bytesPerSecond < 0) throw new ArgumentOutOfRangeException(nameof(bytesPerSecond));
            BytesPerSecond = bytesPerSecond;
            // A small burst (1/20 s, at least one block) keeps the rate smooth at the scale of a rechoke.
            _burst = Math.Max(BitTorrentConstants.BlockSize, bytesPerSecond / 20.0);
            _tokens = 0;   // start empty: bytes sent by time t never exceed rate x t, so simulated bounds hold exactly
            _last = clock.Now;
        }

        public long BytesPerSecond { get; }
        public bool IsUnlimited => BytesPerSecond == 0;

        /// <summary>How long a taker of <paramref name="bytes"/> must wait now; reserves the bytes.</summary>
        public TimeSpan Reserve(int bytes)
        {
            if (IsUnlimited) return TimeSpan.Zero;
            lock (_gate)
            {
                var now = _clock.Now;
                double elapsed = (now - _last).TotalSeconds;
                if (elapsed > 0) { _tokens = Math.Min(_burst, _tokens + elapsed * BytesPerSecond); _last = now; }
                _tokens -= bytes;
                if (_tokens >= 0) return TimeSpan.Zero;
                return TimeSpan.FromTicks((long)Math.Ceiling(-_tokens / BytesPerSecond * TimeSpan.TicksPerSecond));
            }
        }

        /// <summary>Waits until <paramref name="bytes"/> may pass; completes at once when unlimited or in credit.</summary>
        public Task TakeAsync(int bytes, CancellationToken cancellationToken)
        {
            var wait = Reserve(bytes);
            return wait <= TimeSpan.Zero ? Task.CompletedTask : _clock.Delay(wait, cancellationToken);
        }
    }
}
