using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Networks;

namespace PSPeer
{
    /// <summary>
    /// The simulated counterpart of <see cref="PipelinePump"/>: a cmdlet that waits on a simulated network runs the
    /// simulation forward on the pipeline thread, in slices that end whenever the simulated work has posted something
    /// to write, and writes it between slices (never from inside the simulation's loop, so a downstream
    /// PipelineStoppedException cannot tear simulated work apart). The wait is bounded in virtual time; Ctrl+C
    /// (<see cref="Cancel"/>) ends the slice at the next work item.
    /// </summary>
    internal sealed class SimulationPump
    {
        // Virtual time a cancelled search or stop still gets to unwind.
        static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(5);

        readonly Queue<Action> _posted = new Queue<Action>();
        volatile bool _stopping;

        public bool IsStopping => _stopping;

        /// <summary>From StopProcessing (another thread): the current slice ends at the next work item.</summary>
        public void Cancel() => _stopping = true;

        /// <summary>From simulated work (the loop runs on the pipeline thread): runs <paramref name="action"/> between slices.</summary>
        public void Post(Action action)
        {
            lock (_posted) _posted.Enqueue(action);
        }

        bool HasPosted { get { lock (_posted) return _posted.Count > 0; } }

        /// <summary>
        /// Starts <paramref name="work"/> on the network's loop and runs virtual time until it completes, the
        /// <paramref name="limit"/> of virtual time passes, or <paramref name="stop"/> (checked between slices) or
        /// Ctrl+C says enough; then cancels the work's token and gives it a grace period. Returns the work's task.
        /// </summary>
        public Task Run(IPeerNetworkEngine network, Func<CancellationToken, Task> work, TimeSpan limit, Func<bool> stop = null)
        {
            var cancel = new CancellationTokenSource();
            var task = network.Simulation.Spawn(() => work(cancel.Token));
            var deadline = network.Elapsed + limit;
            while (!task.IsCompleted && !_stopping && (stop == null || !stop()))
            {
                var remaining = deadline - network.Elapsed;
                if (remaining <= TimeSpan.Zero) break;
                network.RunUntil(() => task.IsCompleted || _stopping || HasPosted, remaining);
                Drain();
            }
            if (!task.IsCompleted)
            {
                cancel.Cancel();
                network.RunUntil(() => task.IsCompleted, CancelGrace);
            }
            Drain();
            return task;
        }

        void Drain()
        {
            while (true)
            {
                Action next;
                lock (_posted)
                {
                    if (_posted.Count == 0) return;
                    next = _posted.Dequeue();
                }
                next();
            }
        }
    }
}
