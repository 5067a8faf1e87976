using System;
using System.Reactive.Concurrency;
using System.Threading;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// Rx's IScheduler over the simulation's loop, so Buffer, Throttle, Timeout, Interval and friends count virtual
    /// time. It also provides a stopwatch on virtual time, so Rx never falls back to the machine's clock. Like the
    /// host's clock, work scheduled for a host that then crashes never runs.
    /// </summary>
    sealed class VirtualTimeRxScheduler : IScheduler, IServiceProvider, IStopwatchProvider
    {
        readonly Simulation _simulation;
        readonly SimulatedHost _host;

        public VirtualTimeRxScheduler(Simulation simulation, SimulatedHost host)
        {
            _simulation = simulation;
            _host = host;
        }

        public DateTimeOffset Now => _simulation.Now;

        public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) =>
            Schedule(state, TimeSpan.Zero, action);

        public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            var work = new Work<TState>(this, state, action);
            _simulation.LoopScheduler.Enqueue(_simulation.LoopScheduler.Now + Math.Max(0, dueTime.Ticks), Work<TState>.Fire, work);
            return work;
        }

        public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
            Schedule(state, dueTime - Now, action);

        public object GetService(Type serviceType) => serviceType == typeof(IStopwatchProvider) ? this : null;

        public IStopwatch StartStopwatch() => new VirtualStopwatch(_simulation.LoopScheduler);

        sealed class VirtualStopwatch : IStopwatch
        {
            readonly SimulationScheduler _scheduler;
            readonly long _start;
            public VirtualStopwatch(SimulationScheduler scheduler) { _scheduler = scheduler; _start = scheduler.Now; }
            public TimeSpan Elapsed => TimeSpan.FromTicks(_scheduler.Now - _start);
        }

        sealed class Work<TState> : IDisposable
        {
            public static readonly SendOrPostCallback Fire = s => ((Work<TState>)s).Run();

            readonly VirtualTimeRxScheduler _owner;
            readonly TState _state;
            readonly int _epoch;
            Func<IScheduler, TState, IDisposable> _action;
            IDisposable _inner;
            int _disposed;

            public Work(VirtualTimeRxScheduler owner, TState state, Func<IScheduler, TState, IDisposable> action)
            {
                _owner = owner;
                _state = state;
                _action = action;
                _epoch = owner._host?.Epoch ?? 0;
            }

            void Run()
            {
                var action = Interlocked.Exchange(ref _action, null);
                if (action == null || Volatile.Read(ref _disposed) != 0) return;
                if (_owner._host != null && _owner._host.Epoch != _epoch) return;
                var inner = action(_owner, _state);
                if (inner == null) return;
                // Disposal may have raced with the action (from another thread): dispose what it returned too.
                if (Interlocked.CompareExchange(ref _inner, inner, null) != null || Volatile.Read(ref _disposed) != 0) inner.Dispose();
            }

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
                _action = null;
                Interlocked.Exchange(ref _inner, DisposedMarker.Instance)?.Dispose();
            }

            sealed class DisposedMarker : IDisposable
            {
                public static readonly DisposedMarker Instance = new DisposedMarker();
                public void Dispose() { }
            }
        }
    }
}
