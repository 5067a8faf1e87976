using System;
using System.Threading;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// Holds a Monitor lock on a gate for the span of a <c>using</c>, or nothing when the gate is null: for state that a
    /// live servent shares between threads (its links route from the thread pool) and a simulated one only ever touches
    /// from its simulation's one loop.
    /// </summary>
    /// <remarks>
    /// A routed descriptor took three to five locks (the route tables, the link's send queue, a leaf's QRP table). Each
    /// is a fenced interlocked instruction on the gate's header, which at a hundred thousand simulated servents is rarely
    /// in the cache, and the fence keeps the processor from overlapping that miss with the next one. A struct, so a
    /// <c>using</c> of it costs no object.
    /// </remarks>
    readonly struct OptionalLock : IDisposable
    {
        readonly object _gate;

        /// <param name="gate">The object to lock; null: lock nothing (only one thread ever gets here).</param>
        public OptionalLock(object gate)
        {
            _gate = gate;
            if (gate != null) Monitor.Enter(gate);
        }

        public void Dispose()
        {
            if (_gate != null) Monitor.Exit(_gate);
        }
    }
}
