using System;
using System.Collections.Generic;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// Coalesces the writes one thread causes while it handles a run of descriptors: inside a batch, a link's Send only
    /// queues, and closing the batch schedules one write per link that got something, carrying everything queued for it
    /// by then.
    /// </summary>
    /// <remarks>
    /// A flood makes every servent pass each query on to all its other links. Written as it is sent, every copy was a
    /// system call of its own (half the CPU of a live 1,000-servent network went to them); a live link's read loop
    /// now opens a batch around the descriptors one read brought, so a read of n descriptors costs at most a write per
    /// neighbour rather than n, and the writes start from the thread pool behind the reads already waiting there, so
    /// under load a neighbour's one write carries what several reads sent it. The batch is per thread and holds no
    /// await: it opens and closes within one
    /// synchronous stretch of a read loop. Sends from anywhere else (a search starting, a timer) write at once, as
    /// before. Order on each link is kept: the link's queue is the one order; the batch only delays starting its writer.
    /// </remarks>
    sealed class SendBatch
    {
        [ThreadStatic] static SendBatch t_open;
        [ThreadStatic] static SendBatch t_spare;   // reused: a batch opens for every read of a live link

        readonly List<GnutellaLink> _pending = new List<GnutellaLink>();

        /// <summary>The batch open on this thread, or null.</summary>
        public static SendBatch Current => t_open;

        /// <summary>Opens a batch on this thread; null when one is already open (the outer one flushes).</summary>
        public static SendBatch Open()
        {
            if (t_open != null) return null;
            var batch = t_spare ?? new SendBatch();
            t_spare = null;
            t_open = batch;
            return batch;
        }

        /// <summary>A link queued something and waits for the batch to close before it writes.</summary>
        public void Defer(GnutellaLink link) => _pending.Add(link);

        /// <summary>
        /// Closes the batch and schedules the writes it held back: each link's writer starts from the thread pool, after
        /// the work already queued there, so the sends of other reads that run meanwhile join the same write.
        /// </summary>
        public void Close()
        {
            if (t_open == this) t_open = null;
            foreach (var link in _pending) link.ScheduleFlush();
            _pending.Clear();
            if (t_open == null && t_spare == null) t_spare = this;
        }
    }
}
