using System;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// One descriptor on its way out to one link or several, laid out once in a buffer its thread reuses: a link whose
    /// writes are copied (<see cref="GnutellaLink.CopiesWrites"/>: a simulated end) is sent it from that buffer, and
    /// the others share one array of the frame's own, made when the first of them needs it.
    /// </summary>
    /// <remarks>
    /// Every descriptor forwarded, routed back or sent as part of a QRP table was an array, read once by the write that
    /// copied it into the simulated network and then garbage: a 10^5-node build sent 420,000 QRP descriptors, and
    /// a query a few hundred copies and hits. Live, a link's write may keep its buffer until the write completes, so
    /// it gets the array as before (one per descriptor, shared by the links it goes to).
    /// Take one with <see cref="Rent"/> and give it back with <see cref="Return"/> once the sends are done; a send
    /// that itself sends (nothing does now) would rent a second. One that is never given back is only collected.
    /// </remarks>
    sealed class OutgoingFrame
    {
        // Buffers larger than this (a big QueryHit passing through) are not kept for the next frame.
        const int MaxKeptBytes = 64 * 1024;
        [ThreadStatic] static OutgoingFrame t_spare;

        byte[] _buffer = new byte[256];
        int _length;
        byte[] _array;   // the frame as an array of its own, once a link needed one

        /// <summary>The thread's frame (a new one when it is in use).</summary>
        public static OutgoingFrame Rent()
        {
            var frame = t_spare ?? new OutgoingFrame();
            t_spare = null;
            return frame;
        }

        /// <summary>Done with the frame: the next <see cref="Rent"/> on this thread may reuse it.</summary>
        public void Return()
        {
            _array = null;
            _length = 0;
            if (t_spare == null && _buffer.Length <= MaxKeptBytes) t_spare = this;
        }

        /// <summary>Lays out <paramref name="header"/> (its PayloadLength taken from the payload) and <paramref name="payload"/>.</summary>
        public OutgoingFrame Of(DescriptorHeader header, byte[] payload)
        {
            if (payload == null) throw new ArgumentNullException(nameof(payload));
            int length = DescriptorHeader.Size + payload.Length;
            if (_buffer.Length < length) _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
            header.PayloadLength = payload.Length;
            header.Write(_buffer, 0);
            Buffer.BlockCopy(payload, 0, _buffer, DescriptorHeader.Size, payload.Length);
            _length = length;
            _array = null;
            return this;
        }

        /// <summary>How many bytes the frame has.</summary>
        public int Length => _length;

        /// <summary>Sends the frame on <paramref name="link"/> as <see cref="GnutellaLink.Send(byte[], GnutellaPayloadType)"/> does.</summary>
        public bool SendTo(GnutellaLink link, GnutellaPayloadType type)
        {
            if (link.CopiesWrites) return link.SendFrom(_buffer, _length, type);
            if (_array == null)
            {
                _array = new byte[_length];
                Buffer.BlockCopy(_buffer, 0, _array, 0, _length);
            }
            return link.Send(_array, type);
        }

        /// <summary>Sends header + payload on one link, from the thread's frame.</summary>
        public static bool Send(GnutellaLink link, DescriptorHeader header, byte[] payload, GnutellaPayloadType type)
        {
            var frame = Rent().Of(header, payload);
            bool sent = frame.SendTo(link, type);
            frame.Return();
            return sent;
        }
    }
}
