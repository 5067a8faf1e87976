using System;
using System.Globalization;
using System.Threading;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// Watches one upload: at the end of every window the reader must have taken at least rate x window bytes, or
    /// <c>cut</c> runs (it closes the connection). A per-write timeout alone lets a reader that takes one chunk a
    /// minute hold its slot and buffers for ever; a minimum rate over a window does not (Apache's mod_reqtimeout
    /// MinRate, libtorrent's inactivity rules follow the same idea).
    /// </summary>
    sealed class SlowReaderWatch : IDisposable
    {
        readonly IClock _clock;
        readonly long _minRate;
        readonly TimeSpan _window;
        readonly Action _cut;
        readonly object _lock = new object();
        IDisposable _timer;
        long _sentInWindow;
        long _lastWindowBytes;
        bool _disposed;

        public SlowReaderWatch(IClock clock, long minBytesPerSecond, TimeSpan window, Action cut)
        {
            _clock = clock;
            _minRate = minBytesPerSecond;
            _window = window;
            _cut = cut;
            if (_minRate > 0 && window > TimeSpan.Zero) _timer = clock.Schedule(window, Check);
        }

        /// <summary>Whether the reader was cut for being too slow.</summary>
        public bool Cut { get; private set; }

        public void Sent(long bytes) => Interlocked.Add(ref _sentInWindow, bytes);

        public string Describe() => string.Format(CultureInfo.InvariantCulture,
            "the reader took {0} bytes in {1:0.#} s, less than the minimum {2} bytes/s", _lastWindowBytes, _window.TotalSeconds, _minRate);

        void Check()
        {
            long sent = Interlocked.Exchange(ref _sentInWindow, 0);
            bool tooSlow = sent < _minRate * _window.TotalSeconds;
            lock (_lock)
            {
                if (_disposed) return;
                _lastWindowBytes = sent;
                if (!tooSlow) { _timer = _clock.Schedule(_window, Check); return; }
                Cut = true;
            }
            _cut();
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                _timer?.Dispose();
            }
        }
    }
}
