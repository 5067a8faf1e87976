using System;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Runtime.Live
{
    public sealed class SystemClock : IClock
    {
        public DateTimeOffset Now => DateTimeOffset.UtcNow;
        public Task Delay(TimeSpan delay, CancellationToken cancellationToken = default) => Task.Delay(delay, cancellationToken);

        public IDisposable Schedule(TimeSpan delay, Action action)
        {
            // A timer callback runs on a pool thread where an escaping exception would end the process; a node's
            // scheduled work must never do that, so it is contained here (callers report their own failures).
            var timer = new Timer(_ => { try { action(); } catch (Exception) { } }, null, Timeout.Infinite, Timeout.Infinite);
            timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
            return timer;
        }
    }
}
