using System.Collections.Generic;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// Buffers for segments in flight, by power-of-two size: a segment's bytes are copied into one when written and
    /// it goes back once the reader has copied them out (or the connection dropped them), so a busy simulation
    /// reuses a few buffers instead of allocating one per write. Only the simulation's loop uses it (no locking).
    /// </summary>
    /// <remarks>
    /// Each size keeps at most <see cref="MaxRetainedBytesPerSize"/> bytes of free buffers (at least one buffer), so
    /// what the pool holds stays small however many segments were once in flight. A buffer's spare bytes past the
    /// segment's length are never read.
    /// </remarks>
    sealed class SegmentBufferPool
    {
        const int SmallestShift = 5;                // 32 bytes: a Gnutella header and a short query
        const int MaxRetainedBytesPerSize = 1 << 20;
        readonly Stack<byte[]>[] _free = new Stack<byte[]>[32];

        /// <summary>A buffer of at least <paramref name="length"/> bytes (a power of two).</summary>
        public byte[] Rent(int length)
        {
            int shift = ShiftFor(length);
            var free = _free[shift];
            return free != null && free.Count > 0 ? free.Pop() : new byte[1 << shift];
        }

        /// <summary>Takes back a buffer from <see cref="Rent"/>; it must not be used afterwards.</summary>
        public void Return(byte[] buffer)
        {
            int shift = ShiftFor(buffer.Length);
            if (1 << shift != buffer.Length) return;   // not one of ours
            var free = _free[shift] ?? (_free[shift] = new Stack<byte[]>());
            if (free.Count == 0 || (long)(free.Count + 1) * buffer.Length <= MaxRetainedBytesPerSize) free.Push(buffer);
        }

        static int ShiftFor(int length)
        {
            int shift = SmallestShift;
            while ((1 << shift) < length) shift++;
            return shift;
        }
    }
}
