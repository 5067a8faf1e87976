using System;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// Small read buffers that quiet links gave back (<see cref="GnutellaFrameDecoder.TryReleaseBuffer"/>), for the links
    /// that have bytes to decode next. Per thread, so no lock: a simulation's loop is one thread, and a buffer given
    /// back on another thread just joins that thread's spares. Bounded: the rest go to the collector.
    /// </summary>
    static class SpareReadBuffers
    {
        /// <summary>The one size kept: a simulated link's read buffer.</summary>
        public const int Size = GnutellaFrameReader.ReadBufferSize;
        const int MaxSpares = 4096;

        [ThreadStatic] static byte[][] t_spares;
        [ThreadStatic] static int t_count;

        public static byte[] Rent()
        {
            if (t_count == 0) return new byte[Size];
            var buffer = t_spares[--t_count];
            t_spares[t_count] = null;
            return buffer;
        }

        public static void Return(byte[] buffer)
        {
            if (buffer == null || buffer.Length != Size) return;
            var spares = t_spares ?? (t_spares = new byte[64][]);
            if (t_count == spares.Length)
            {
                if (spares.Length == MaxSpares) return;
                Array.Resize(ref t_spares, spares.Length * 2);
                spares = t_spares;
            }
            spares[t_count++] = buffer;
        }
    }
}
