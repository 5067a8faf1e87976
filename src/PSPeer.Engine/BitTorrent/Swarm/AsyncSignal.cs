using System.Threading.Tasks;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// An auto-reset event for one waiting loop: Set wakes the waiter, or the next wait if nobody waits. The waiter
    /// resumes asynchronously (on the simulation's loop, or the thread pool live), never inside Set's caller, which
    /// may hold the node's lock.
    /// </summary>
    sealed class AsyncSignal
    {
        readonly object _gate = new object();
        TaskCompletionSource<bool> _waiter;
        bool _set;

        public void Set()
        {
            TaskCompletionSource<bool> waiter;
            lock (_gate)
            {
                waiter = _waiter;
                _waiter = null;
                if (waiter == null) _set = true;
            }
            waiter?.TrySetResult(true);
        }

        public Task WaitAsync()
        {
            lock (_gate)
            {
                if (_set) { _set = false; return Task.CompletedTask; }
                if (_waiter == null) _waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _waiter.Task;
            }
        }
    }
}
