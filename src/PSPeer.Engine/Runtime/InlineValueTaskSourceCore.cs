using System;
using System.Threading;
using System.Threading.Tasks.Sources;

namespace PSPeer.Engine.Runtime
{
    /// <summary>
    /// One awaitable operation at a time, for a class that is its own IValueTaskSource (an accept, a dial): who waits
    /// and how the operation ended. Completing runs the waiter inline when it waits on the current
    /// SynchronizationContext (or on none) — what a task completed there does, so a simulation's order of work is the
    /// same as with tasks — and posts it to its context otherwise. (ManualResetValueTaskSourceCore always posts to a
    /// captured context, which would add a scheduler event per completion.) Not thread-safe: the owner completes it
    /// on one thread (a simulation's loop).
    /// </summary>
    internal struct InlineValueTaskSourceCore<T>
    {
        Action<object> _continuation;
        object _continuationState;
        SynchronizationContext _context;
        ExecutionContext _execution;
        T _result;
        Exception _error;
        short _version;
        bool _pending, _completed;

        /// <summary>Started and not yet ended.</summary>
        public bool IsPending => _pending;

        /// <summary>Starts the next operation; its ValueTask's token.</summary>
        public short Begin()
        {
            if (_pending || _completed) throw new InvalidOperationException("The previous operation has not been awaited yet.");
            _pending = true;
            return ++_version;
        }

        /// <summary>Ends the pending operation with a result or <paramref name="error"/> (an OperationCanceledException
        /// is a cancellation); false when none is pending. Its waiter, if already waiting, resumes before this returns.</summary>
        public bool TryComplete(T result, Exception error)
        {
            if (!_pending) return false;
            _pending = false;
            _completed = true;
            _result = result;
            _error = error;
            var continuation = _continuation;
            if (continuation == null) return true;   // not awaited yet: OnCompleted finds it done
            var state = _continuationState;
            var context = _context;
            var execution = _execution;
            _continuation = null;
            _continuationState = null;
            _context = null;
            _execution = null;
            Run(continuation, state, context, execution, mayRunInline: true);
            return true;
        }

        public ValueTaskSourceStatus GetStatus(short token)
        {
            Check(token);
            if (_pending) return ValueTaskSourceStatus.Pending;
            if (_error == null) return ValueTaskSourceStatus.Succeeded;
            return _error is OperationCanceledException ? ValueTaskSourceStatus.Canceled : ValueTaskSourceStatus.Faulted;
        }

        public T GetResult(short token)
        {
            Check(token);
            if (!_completed) throw new InvalidOperationException("The operation has not completed.");
            var result = _result;
            var error = _error;
            _result = default;
            _error = null;
            _completed = false;
            if (error != null) throw error;
            return result;
        }

        public void OnCompleted(Action<object> continuation, object state, short token, ValueTaskSourceOnCompletedFlags flags)
        {
            if (continuation == null) throw new ArgumentNullException(nameof(continuation));
            Check(token);
            var context = (flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) != 0 ? SynchronizationContext.Current : null;
            if (context != null && context.GetType() == typeof(SynchronizationContext)) context = null;
            var execution = (flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0 ? ExecutionContext.Capture() : null;
            // Ended between the check and here: never run the awaiter inside its own OnCompleted.
            if (!_pending) { Run(continuation, state, context, execution, mayRunInline: false); return; }
            if (_continuation != null) throw new InvalidOperationException("The operation can be awaited only once.");
            _continuation = continuation;
            _continuationState = state;
            _context = context;
            _execution = execution;
        }

        void Check(short token)
        {
            if (token != _version) throw new InvalidOperationException("This operation's ValueTask was already used: await it once.");
        }

        // The rare ways are methods of their own, so the usual inline call makes no closure.
        static void Run(Action<object> continuation, object state, SynchronizationContext context, ExecutionContext execution, bool mayRunInline)
        {
            if (execution != null) RunIn(execution, continuation, state, context, mayRunInline);
            else if (context != null && !(mayRunInline && context == SynchronizationContext.Current)) Post(context, continuation, state);
            else if (context == null && !mayRunInline) Queue(continuation, state);
            else continuation(state);
        }

        static void RunIn(ExecutionContext execution, Action<object> continuation, object state, SynchronizationContext context, bool mayRunInline) =>
            ExecutionContext.Run(execution, _ => Run(continuation, state, context, null, mayRunInline), null);

        static void Post(SynchronizationContext context, Action<object> continuation, object state) => context.Post(_ => continuation(state), null);

        static void Queue(Action<object> continuation, object state) => ThreadPool.QueueUserWorkItem(_ => continuation(state), null);
    }
}
