using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer
{
    /// <summary>
    /// Lets a cmdlet await engine work without ever calling WriteObject/WriteProgress off the pipeline thread:
    /// the work runs on the thread pool and posts actions here; <see cref="Run{T}"/> executes them on the calling
    /// (pipeline) thread while it waits. One cancellation source per cmdlet, cancelled by StopProcessing (Ctrl+C).
    /// </summary>
    internal sealed class PipelinePump : IDisposable
    {
        // How long a cancelled wait still gives the engine to unwind (delete temp files, close sockets).
        static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(5);

        readonly CancellationTokenSource _stop = new CancellationTokenSource();
        BlockingCollection<Action> _queue;

        /// <summary>Cancelled by Ctrl+C or when the downstream pipeline stops.</summary>
        public CancellationToken Token => _stop.Token;
        public bool IsStopping => _stop.IsCancellationRequested;

        public void Cancel()
        {
            try { _stop.Cancel(); } catch (ObjectDisposedException) { }
        }

        /// <summary>From any thread: runs <paramref name="action"/> on the pipeline thread during the current wait.</summary>
        public void Post(Action action)
        {
            var queue = Volatile.Read(ref _queue);
            if (queue == null) return;
            try { queue.Add(action); }
            catch (InvalidOperationException) { /* the wait already ended: a late callback has nobody to write to */ }
        }

        /// <summary>
        /// Runs <paramref name="work"/> on the thread pool (so no pipeline-thread context is captured) and drains
        /// posted actions until it finishes or <paramref name="cancellationToken"/> (or Ctrl+C) fires. Returns the
        /// work's task; when the wait was cancelled it may still be running its cancellation.
        /// </summary>
        public Task<T> Run<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
        {
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, cancellationToken))
            {
                var queue = new BlockingCollection<Action>();
                Volatile.Write(ref _queue, queue);
                var token = linked.Token;
                Task<T> task = Task.Run(() => work(token));
                task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                try
                {
                    foreach (var action in queue.GetConsumingEnumerable(token)) action();
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // Give the engine a moment to observe cancellation so nothing is left half-done.
                    try { task.Wait(CancelGrace); } catch (AggregateException) { }
                }
                catch
                {
                    // Writing failed (the pipeline is stopping, e.g. Select-Object -First): stop the work too.
                    Cancel();
                    try { task.Wait(CancelGrace); } catch (AggregateException) { }
                    throw;
                }
                finally
                {
                    Volatile.Write(ref _queue, null);
                }
                return task;
            }
        }

        public Task Run(Func<CancellationToken, Task> work, CancellationToken cancellationToken = default) =>
            Run<bool>(async ct => { await work(ct); return true; }, cancellationToken);

        public void Dispose() => _stop.Dispose();
    }
}
