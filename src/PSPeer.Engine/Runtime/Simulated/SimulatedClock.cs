using System;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// Virtual time as a host sees it. Delays and scheduled actions of a host that crashes never fire: a killed
    /// process runs no more timers. A clock without a host (the simulation's own) is never cut off.
    /// </summary>
    /// <remarks>
    /// An instance is the simulation's own clock; a host is its own clock (SimulatedHost implements IClock with the
    /// static <see cref="Delay(Simulation, SimulatedHost, TimeSpan, CancellationToken)"/> and
    /// <see cref="Schedule(Simulation, SimulatedHost, TimeSpan, Action)"/>), so that a million hosts hold no clock object each.
    /// </remarks>
    sealed class SimulatedClock : IClock, IStateClock
    {
        readonly Simulation _simulation;
        readonly SimulatedHost _host;

        public SimulatedClock(Simulation simulation, SimulatedHost host)
        {
            _simulation = simulation;
            _host = host;
        }

        public DateTimeOffset Now => _simulation.Now;

        public Task Delay(TimeSpan delay, CancellationToken cancellationToken = default) => Delay(_simulation, _host, delay, cancellationToken);

        public IDisposable Schedule(TimeSpan delay, Action action) => Schedule(_simulation, _host, delay, action);

        public IDisposable Schedule(TimeSpan delay, Action<object> action, object state) => Schedule(_simulation, _host, delay, action, state);

        /// <summary>IClock.Delay on <paramref name="host"/>'s clock (null: the simulation's own).</summary>
        internal static Task Delay(Simulation simulation, SimulatedHost host, TimeSpan delay, CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
            if (delay < TimeSpan.Zero && delay != Timeout.InfiniteTimeSpan)
                throw new ArgumentOutOfRangeException(nameof(delay), delay, "A delay cannot be negative.");
            if (delay == TimeSpan.Zero) return Task.CompletedTask;
            var work = new DelayWork(host, cancellationToken, simulation.LoopScheduler);
            // An infinite delay only ends by cancellation: nothing goes on the queue.
            if (delay != Timeout.InfiniteTimeSpan)
            {
                work.MarkQueued();
                simulation.LoopScheduler.Enqueue(simulation.LoopScheduler.Now + delay.Ticks, DelayWork.Fire, work);
            }
            return work.Task;
        }

        /// <summary>IClock.Schedule on <paramref name="host"/>'s clock (null: the simulation's own).</summary>
        internal static IDisposable Schedule(Simulation simulation, SimulatedHost host, TimeSpan delay, Action action)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            var work = new ScheduledWork(host, action, null, simulation.LoopScheduler);
            simulation.LoopScheduler.Enqueue(simulation.LoopScheduler.Now + Math.Max(0, delay.Ticks), ScheduledWork.Fire, work);
            return work;
        }

        /// <summary>IStateClock.Schedule on <paramref name="host"/>'s clock (null: the simulation's own): as above, with no delegate made per call.</summary>
        internal static IDisposable Schedule(Simulation simulation, SimulatedHost host, TimeSpan delay, Action<object> action, object state)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            var work = new ScheduledWork(host, action, state, simulation.LoopScheduler);
            simulation.LoopScheduler.Enqueue(simulation.LoopScheduler.Now + Math.Max(0, delay.Ticks), ScheduledWork.Fire, work);
            return work;
        }

        /// <summary>A pending delay: its own task source, so a delay costs one allocation plus the registration.</summary>
        sealed class DelayWork : TaskCompletionSource<bool>, IWithdrawableWork
        {
            public static readonly SendOrPostCallback Fire = state => ((DelayWork)state).Complete();
            static readonly Action<object> CancelCallback = state => ((DelayWork)state).Cancel();

            readonly SimulatedHost _host;
            readonly int _epoch;
            readonly CancellationToken _token;
            readonly SimulationScheduler _scheduler;
            CancellationTokenRegistration _registration;

            public DelayWork(SimulatedHost host, CancellationToken token, SimulationScheduler scheduler) : base()
            {
                _host = host;
                _epoch = host?.Epoch ?? 0;
                _token = token;
                _scheduler = scheduler;
                if (token.CanBeCanceled) _registration = token.Register(CancelCallback, this);
            }

            void Complete()
            {
                if (_host != null && _host.Epoch != _epoch) return;
                _registration.Dispose();
                TrySetResult(true);
            }

            // Queued delays complete only when popped, so a cancelled one in the queue is withdrawn work.
            public bool IsWithdrawn => Task.IsCanceled;

            void Cancel()
            {
                // An infinite delay was never queued: nothing to withdraw.
                if (TrySetCanceled(_token) && _queued) _scheduler.NoteWithdrawn();
            }

            bool _queued;
            public void MarkQueued() => _queued = true;
        }

        sealed class ScheduledWork : IDisposable, IWithdrawableWork
        {
            public static readonly SendOrPostCallback Fire = state => ((ScheduledWork)state).Run();

            readonly SimulatedHost _host;
            readonly int _epoch;
            readonly SimulationScheduler _scheduler;
            // An Action, or an Action<object> run with _state (IStateClock: a static callback, no delegate per timer).
            object _action;
            readonly object _state;

            public ScheduledWork(SimulatedHost host, object action, object state, SimulationScheduler scheduler)
            {
                _host = host;
                _epoch = host?.Epoch ?? 0;
                _action = action;
                _state = state;
                _scheduler = scheduler;
            }

            // Run takes the action first, so a queued one without its action was disposed.
            public bool IsWithdrawn => Volatile.Read(ref _action) == null;

            void Run()
            {
                var action = Interlocked.Exchange(ref _action, null);
                if (action == null || (_host != null && _host.Epoch != _epoch)) return;
                if (action is Action plain) plain();
                else ((Action<object>)action)(_state);
            }

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _action, null) != null) _scheduler.NoteWithdrawn();
            }
        }
    }
}
