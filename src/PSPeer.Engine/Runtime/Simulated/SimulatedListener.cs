using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using PSPeer.Engine.Runtime.Admission;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// A port a simulated host listens on: connections that arrive wait in a bounded backlog until accepted.
    /// Closing it (or a crash of its host) fails pending accepts with ObjectDisposedException and resets the
    /// connections nobody accepted.
    /// </summary>
    sealed class SimulatedListener : IListener, IValueAcceptListener, IValueTaskSource<IConnection>
    {
        static readonly Action<object> CancelValueAcceptFromToken = state => ((SimulatedListener)state).CancelValueAccept();

        readonly SimulatedHost _host;
        readonly int _backlogLimit;
        // A listener mostly has one accept waiting (its node's accept loop) and no backlog: the first waiter has a field
        // of its own, and the queues are made only when more must wait (every simulated host has a listener).
        Queue<SimulatedStream> _backlog;
        AcceptWaiter _firstWaiter;
        Queue<AcceptWaiter> _moreWaiters;
        bool _closed;

        /// <summary>The next listener of the same host (a host keeps its few listeners as a list through them).</summary>
        internal SimulatedListener NextOnHost;

        public SimulatedListener(SimulatedHost host, int port, int backlogLimit)
        {
            _host = host;
            _backlogLimit = backlogLimit;
            Port = port;
            EndPoint = host.HostAddress + ":" + port;
        }

        public int Port { get; }
        public string EndPoint { get; }
        public bool IsClosed => _closed;

        public Task<IConnection> AcceptAsync(CancellationToken cancellationToken = default)
        {
            if (_closed) return Task.FromException<IConnection>(new ObjectDisposedException(nameof(IListener), $"The listener on {EndPoint} is closed."));
            if (_backlog != null && _backlog.Count > 0) return Task.FromResult<IConnection>(_backlog.Dequeue());
            if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<IConnection>(cancellationToken);
            var waiter = new AcceptWaiter(cancellationToken);
            if (_firstWaiter == null) _firstWaiter = waiter;
            else (_moreWaiters ?? (_moreWaiters = new Queue<AcceptWaiter>())).Enqueue(waiter);
            return waiter.Task;
        }

        // The value accept (AcceptValueAsync): the listener itself is its source. A node's accept loop waits here for
        // every connection it gets, so an accept costs no task, waiter or token registration (the loop's token is the
        // same for all of them: it is registered once and kept).
        InlineValueTaskSourceCore<IConnection> _valueAccept;
        CancellationToken _valueToken;
        CancellationTokenRegistration _valueRegistration;

        public ValueTask<IConnection> AcceptValueAsync(CancellationToken cancellationToken)
        {
            if (_closed) return new ValueTask<IConnection>(Task.FromException<IConnection>(new ObjectDisposedException(nameof(IListener), $"The listener on {EndPoint} is closed.")));
            if (_backlog != null && _backlog.Count > 0) return new ValueTask<IConnection>(_backlog.Dequeue());
            if (cancellationToken.IsCancellationRequested) return new ValueTask<IConnection>(Task.FromCanceled<IConnection>(cancellationToken));
            short token = _valueAccept.Begin();
            if (cancellationToken.CanBeCanceled && !cancellationToken.Equals(_valueToken))
            {
                _valueRegistration.Dispose();
                _valueToken = cancellationToken;
                _valueRegistration = cancellationToken.Register(CancelValueAcceptFromToken, this);
            }
            return new ValueTask<IConnection>(this, token);
        }

        void CancelValueAccept()
        {
            if (_valueAccept.IsPending && _valueToken.IsCancellationRequested) _valueAccept.TryComplete(null, new OperationCanceledException(_valueToken));
        }

        ValueTaskSourceStatus IValueTaskSource<IConnection>.GetStatus(short token) => _valueAccept.GetStatus(token);
        IConnection IValueTaskSource<IConnection>.GetResult(short token) => _valueAccept.GetResult(token);
        void IValueTaskSource<IConnection>.OnCompleted(Action<object> continuation, object state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _valueAccept.OnCompleted(continuation, state, token, flags);

        /// <summary>A connection has arrived; false when the listener is closed or its backlog is full.</summary>
        internal bool TryOffer(SimulatedStream connection)
        {
            if (_closed) return false;
            for (var waiter = NextWaiter(); waiter != null; waiter = NextWaiter())
                if (waiter.TryAccept(connection)) return true;
            // Task accepts waiting go first; a node's accept loop waits by value (one at a time).
            if (_valueAccept.TryComplete(connection, null)) return true;
            if ((_backlog?.Count ?? 0) >= _backlogLimit) return false;
            (_backlog ?? (_backlog = new Queue<SimulatedStream>())).Enqueue(connection);
            return true;
        }

        public void Dispose()
        {
            if (_closed) return;
            _closed = true;
            _host.RemoveListener(this);
            for (var waiter = NextWaiter(); waiter != null; waiter = NextWaiter())
                waiter.Fail(new ObjectDisposedException(nameof(IListener), $"The listener on {EndPoint} was closed."));
            _valueRegistration.Dispose();
            if (_valueAccept.IsPending) _valueAccept.TryComplete(null, new ObjectDisposedException(nameof(IListener), $"The listener on {EndPoint} was closed."));
            while (_backlog != null && _backlog.Count > 0)
            {
                var stream = _backlog.Dequeue();
                stream.ResetBoth("The listener closed before accepting the connection.", "The connection was reset: the listener closed before accepting it.");
            }
        }

        // The oldest accept still waiting, taken off the line; null when none waits.
        AcceptWaiter NextWaiter()
        {
            var first = _firstWaiter;
            _firstWaiter = _moreWaiters != null && _moreWaiters.Count > 0 ? _moreWaiters.Dequeue() : null;
            return first;
        }

        /// <summary>An accept that waits; cancellation completes it as cancelled and TryOffer skips it.</summary>
        sealed class AcceptWaiter : TaskCompletionSource<IConnection>
        {
            static readonly Action<object> OnCancel = state => ((AcceptWaiter)state).TrySetCanceled(((AcceptWaiter)state)._token);
            readonly CancellationToken _token;
            readonly CancellationTokenRegistration _registration;

            public AcceptWaiter(CancellationToken token) : base()
            {
                _token = token;
                if (token.CanBeCanceled) _registration = token.Register(OnCancel, this);
            }

            // Accept loops reuse one long-lived token: each finished accept must drop its registration.
            public bool TryAccept(SimulatedStream connection)
            {
                if (!TrySetResult(connection)) return false;
                _registration.Dispose();
                return true;
            }

            public void Fail(Exception error)
            {
                if (TrySetException(error)) _registration.Dispose();
            }
        }
    }
}
