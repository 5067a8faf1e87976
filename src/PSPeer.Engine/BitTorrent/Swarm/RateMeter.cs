using System;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Bytes per second over the last few seconds, from byte counts stamped with the runtime's clock. Buckets of
    /// 1/4 s in a ring, so the rate follows changes quickly without jumping on every block. Not thread-safe: the
    /// owner locks.
    /// </summary>
    public sealed class RateMeter
    {
        const int Buckets = 20;                                 // 20 x 250 ms = 5 s window
        static readonly long BucketTicks = TimeSpan.TicksPerMillisecond * 250;
        readonly long[] _bytes = new long[Buckets];
        long _currentBucket = long.MinValue;                    // absolute bucket number of the newest slot
        long _firstBucket = long.MinValue;                      // when counting began (a young meter divides by less)

        public long Total { get; private set; }

        public void Add(long bytes, DateTimeOffset now)
        {
            Advance(now);
            _bytes[(int)(_currentBucket % Buckets)] += bytes;
            Total += bytes;
        }

        /// <summary>Bytes per second over the window (or since the first byte, if that is shorter).</summary>
        public double Rate(DateTimeOffset now)
        {
            if (_currentBucket == long.MinValue) return 0;
            Advance(now);
            long sum = 0;
            for (int i = 0; i < Buckets; i++) sum += _bytes[i];
            long spanBuckets = Math.Min(Buckets, _currentBucket - _firstBucket + 1);
            // The newest bucket is partly elapsed: count the time really covered.
            double seconds = (spanBuckets - 1) * 0.25 + (now.UtcTicks % BucketTicks + 1) / (double)TimeSpan.TicksPerSecond;
            return seconds <= 0 ? 0 : sum / Math.Max(seconds, 0.25);
        }

        void Advance(DateTimeOffset now)
        {
            long bucket = now.UtcTicks / BucketTicks;
            if (_currentBucket == long.MinValue) { _currentBucket = bucket; _firstBucket = bucket; return; }
            if (bucket <= _currentBucket) return;
            long steps = Math.Min(Buckets, bucket - _currentBucket);
            for (long i = 1; i <= steps; i++) _bytes[(int)((_currentBucket + i) % Buckets)] = 0;
            _currentBucket = bucket;
        }
    }
}
