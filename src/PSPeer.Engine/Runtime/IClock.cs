using System;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Runtime
{
    public interface IClock
    {
        DateTimeOffset Now { get; }
        /// <summary>Completes after <paramref name="delay"/>; cancelling faults the task with OperationCanceledException.</summary>
        Task Delay(TimeSpan delay, CancellationToken cancellationToken = default);
        /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/>; dispose to cancel.</summary>
        IDisposable Schedule(TimeSpan delay, Action action);
    }
}
