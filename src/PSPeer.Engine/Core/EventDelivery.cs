using System;
using System.Collections.Generic;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace PSPeer.Engine.Core
{
    /// <summary>
    /// Keeps a node's subscribers from reaching the node. Every subscriber is isolated: one whose OnNext throws is
    /// unsubscribed and reported (never rethrown into the node), and, where delivery is queued, each subscriber has
    /// its own bounded queue drained on Rx's task-pool scheduler, so a slow one falls behind alone and loses events
    /// (counted, then told with an EventsDropped event) instead of stalling the node's thread.
    /// </summary>
    /// <remarks>
    /// Rx has the scheduling (IScheduler) and the subscription plumbing (Observable.Create, disposables); it has no
    /// bounded ObserveOn, which is the one piece written here. Order is kept per subscriber; terminal notifications
    /// follow the queued events.
    /// </remarks>
    static class EventDelivery
    {
        /// <summary>Subscribers called on the emitting thread, each in its own try: for simulations (deterministic) and trusted code.</summary>
        public static IObservable<PeerEvent> Inline(IObservable<PeerEvent> source, Action<Exception> observerFailed) =>
            Observable.Create<PeerEvent>(observer =>
            {
                var upstream = new SingleAssignmentDisposable();
                bool failed = false;
                upstream.Disposable = source.Subscribe(
                    e =>
                    {
                        if (failed) return;
                        try { observer.OnNext(e); }
                        catch (Exception ex)
                        {
                            failed = true;
                            upstream.Dispose();
                            observerFailed(ex);
                        }
                    },
                    error => { if (!failed) Guard(() => observer.OnError(error)); },
                    () => { if (!failed) Guard(observer.OnCompleted); });
                return upstream;
            });

        /// <summary>Subscribers called on the task pool through a queue of at most <paramref name="capacity"/> events each.</summary>
        public static IObservable<PeerEvent> Queued(IObservable<PeerEvent> source, int capacity, IScheduler scheduler,
            Func<long, PeerEvent> droppedEvent, Action<long> dropped, Action<Exception> observerFailed) =>
            Observable.Create<PeerEvent>(observer =>
            {
                var queue = new BoundedQueue(observer, capacity, scheduler, droppedEvent, dropped, observerFailed);
                var upstream = new SingleAssignmentDisposable();
                queue.Upstream = upstream;
                upstream.Disposable = source.Subscribe(queue.OnNext, queue.OnError, queue.OnCompleted);
                return new CompositeDisposable(upstream, queue);
            });

        // Observers' OnError/OnCompleted may throw too; nothing they do reaches the node.
        static void Guard(Action action)
        {
            try { action(); }
            catch (Exception) { /* a failing observer at its end has nobody left to tell */ }
        }

        sealed class BoundedQueue : IDisposable
        {
            readonly IObserver<PeerEvent> _observer;
            readonly int _capacity;
            readonly IScheduler _scheduler;
            readonly Func<long, PeerEvent> _droppedEvent;
            readonly Action<long> _dropped;
            readonly Action<Exception> _observerFailed;
            readonly Queue<PeerEvent> _queue = new Queue<PeerEvent>();
            readonly object _gate = new object();
            bool _draining, _done, _stopped;
            Exception _error;
            long _droppedSinceTold;

            public BoundedQueue(IObserver<PeerEvent> observer, int capacity, IScheduler scheduler,
                Func<long, PeerEvent> droppedEvent, Action<long> dropped, Action<Exception> observerFailed)
            {
                _observer = observer; _capacity = capacity; _scheduler = scheduler;
                _droppedEvent = droppedEvent; _dropped = dropped; _observerFailed = observerFailed;
            }

            public IDisposable Upstream { get; set; }

            public void OnNext(PeerEvent e)
            {
                bool overflow = false;
                lock (_gate)
                {
                    if (_stopped || _done) return;
                    if (_queue.Count >= _capacity) { _droppedSinceTold++; overflow = true; }
                    else _queue.Enqueue(e);
                    ScheduleLocked();
                }
                if (overflow) _dropped(1);
            }

            public void OnError(Exception error)
            {
                lock (_gate) { if (_done) return; _done = true; _error = error; ScheduleLocked(); }
            }

            public void OnCompleted()
            {
                lock (_gate) { if (_done) return; _done = true; ScheduleLocked(); }
            }

            void ScheduleLocked()
            {
                if (_draining || _stopped) return;
                _draining = true;
                _scheduler.Schedule(Drain);
            }

            void Drain()
            {
                while (true)
                {
                    PeerEvent next = null;
                    bool finish = false;
                    lock (_gate)
                    {
                        if (_stopped) { _draining = false; return; }
                        if (_queue.Count > 0) next = _queue.Dequeue();
                        else if (_droppedSinceTold > 0) { next = _droppedEvent(_droppedSinceTold); _droppedSinceTold = 0; }
                        else if (_done) { finish = true; _stopped = true; }
                        else { _draining = false; return; }
                    }
                    if (finish)
                    {
                        if (_error != null) Guard(() => _observer.OnError(_error));
                        else Guard(_observer.OnCompleted);
                        return;
                    }
                    try { _observer.OnNext(next); }
                    catch (Exception ex)
                    {
                        lock (_gate) { _stopped = true; _queue.Clear(); _draining = false; }
                        Upstream?.Dispose();
                        _observerFailed(ex);
                        return;
                    }
                }
            }

            public void Dispose()
            {
                lock (_gate) { _stopped = true; _queue.Clear(); }
            }
        }
    }
}
