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
            var timer = new Timer(_ => action(), null, Timeout.Infinite, Timeout.Infinite);
            timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
            return timer;
        }
    }
}
